using System.Text.Json;

namespace Ocpp.Rpc.Client;

// Outbound calls: straight to the open connection, or queued (bounded) while connecting or reconnecting and
// started in order on the next connection.
public sealed partial class OcppClient
{
    /// <summary>
    /// Sends a CALL and waits for its CALLRESULT, as <see cref="OcppConnection.CallAsync(string, OcppPayload, OcppCallOptions?, CancellationToken)"/>.
    /// While the client is connecting or reconnecting the call waits in a queue (its timeout starts when it is sent).
    /// With <see cref="OcppClientOptions.MessageQueue"/> set, a transaction-related action
    /// (<see cref="OcppMessageQueueOptions.TransactionActions"/>) goes through the durable message queue instead: it is
    /// kept across disconnects, retried per the spec's rule, and a drop throws <see cref="OcppMessageDroppedException"/>;
    /// <paramref name="options"/> then only contributes its <see cref="OcppCallOptions.MessageId"/>, and cancelling stops
    /// waiting but leaves the message queued.
    /// A call in flight when the link drops fails with <see cref="OcppConnectionClosedException"/> and is not resent; a
    /// call still waiting for its turn when the link drops was never written, so it goes back to the queue.
    /// </summary>
    /// <param name="action">The case-sensitive action name.</param>
    /// <param name="payload">The request payload (default: <c>{}</c>); UTF-8 bytes must stay unchanged until the call is sent.</param>
    /// <param name="options">Per-call timeout, validation and message id.</param>
    /// <param name="cancellationToken">Cancels waiting (in the queue, or for the response).</param>
    /// <returns>The CALLRESULT payload.</returns>
    /// <exception cref="OcppCallQueueFullException">The client is reconnecting and <see cref="OcppClientOptions.MaxQueuedCalls"/> calls already wait.</exception>
    /// <exception cref="OcppConnectionClosedException">The client is closed or closing, gave up reconnecting, or the link dropped while the call was in flight.</exception>
    /// <exception cref="OcppRpcException">The server answered with a CALLERROR.</exception>
    /// <exception cref="OcppCallTimeoutException">No answer within the timeout.</exception>
    public Task<JsonElement> CallAsync(string action, OcppPayload payload = default, OcppCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        if (TryQueueCall(action, payload, options, cancellationToken, out byte[]? serialized) is { } queued)
        {
            return queued;
        }

        if (serialized is not null)
        {
            payload = OcppPayload.FromUtf8Json(serialized);
        }

        return RunAsync(connection => connection.CallAsync(action, payload, options, cancellationToken), cancellationToken);
    }

    /// <summary>Sends a CALL and waits for its CALLRESULT deserialized with <paramref name="responseType"/>; queued like <see cref="CallAsync(string, OcppPayload, OcppCallOptions?, CancellationToken)"/>.</summary>
    /// <typeparam name="TResponse">The response type.</typeparam>
    /// <param name="action">The case-sensitive action name.</param>
    /// <param name="payload">The request payload.</param>
    /// <param name="responseType">The response's source-generated metadata.</param>
    /// <param name="options">Per-call timeout, validation, message id and protocol.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The deserialized CALLRESULT.</returns>
    public Task<TResponse> CallAsync<TResponse>(string action, OcppPayload payload, System.Text.Json.Serialization.Metadata.JsonTypeInfo<TResponse> responseType, OcppCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentNullException.ThrowIfNull(responseType);
        if (_messages is { } queue && queue.Routes(action))
        {
            if (options?.Protocol is { } protocol)
            {
                EnsureQueuedProtocol(protocol, action); // a typed record of another version than the client speaks
            }

            if (TryQueueCall(action, payload, options, cancellationToken, out byte[]? serialized) is { } queued)
            {
                return Typed(queued, responseType);
            }

            if (serialized is not null)
            {
                payload = OcppPayload.FromUtf8Json(serialized);
            }
        }

        return RunAsync(connection => connection.CallAsync(action, payload, responseType, options, cancellationToken), cancellationToken);
    }

    /// <summary>Sends an OCPP 2.1 SEND (one-way); queued while reconnecting like a call.</summary>
    /// <param name="action">The action name.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="options">Validation and message id.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <exception cref="InvalidOperationException">The connection does not speak OCPP 2.1.</exception>
    public Task SendAsync(string action, OcppPayload payload = default, OcppCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        return RunAsync(connection => Sent(connection.SendAsync(action, payload, options, cancellationToken)), cancellationToken);
    }

    private Task<T> RunAsync<T>(Func<OcppConnection, Task<T>> call, CancellationToken cancellationToken)
    {
        OcppConnection? direct = null;
        QueuedCall<T>? queued = null;
        lock (_lock)
        {
            OcppClientState state = State;
            if (state == OcppClientState.Open && _connection is { State: OcppConnectionState.Open } open)
            {
                direct = open;
            }
            else if (state is OcppClientState.Connecting or OcppClientState.Reconnecting || (state == OcppClientState.Open && Options.Reconnect.Enabled))
            {
                // Open but the link just dropped: the supervisor is about to reconnect, so wait for it.
                if (_queue.Count >= Options.MaxQueuedCalls)
                {
                    return Task.FromException<T>(new OcppCallQueueFullException(Options.MaxQueuedCalls));
                }

                queued = new QueuedCall<T>(connection => CallOrRequeueAsync(call, connection, cancellationToken));
                queued.Node = _queue.AddLast(queued);

                // Registered under the lock so the queue cannot start the call first; a token cancelled meanwhile
                // unlinks it at once (the lock is re-entrant).
                queued.CancelWith(cancellationToken, Unlink);
            }
            else
            {
                string what = state == OcppClientState.Closing ? "closing" : "not connected";
                return Task.FromException<T>(new OcppConnectionClosedException($"The client is {what}."));
            }
        }

        if (direct is not null)
        {
            return CallOrRequeueAsync(call, direct, cancellationToken);
        }

        return queued!.Task;
    }

    // A call refused before anything was written (the link dropped while it waited for a call slot) goes back to the
    // queue for the next connection; a call that may have reached the server is never resent.
    private async Task<T> CallOrRequeueAsync<T>(Func<OcppConnection, Task<T>> call, OcppConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            return await call(connection).ConfigureAwait(false);
        }
        catch (OcppConnectionClosedException ex) when (!ex.WasSent && Options.Reconnect.Enabled && State is not (OcppClientState.Closing or OcppClientState.Closed))
        {
            return await RunAsync(call, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Unlink(QueuedCall call)
    {
        lock (_lock)
        {
            if (call.Node is { List: not null } node)
            {
                _queue.Remove(node);
            }

            call.Node = null;
        }
    }

    // Empties the queue (under _lock); the caller starts or fails the calls outside the lock.
    private List<QueuedCall> TakeQueueLocked()
    {
        var calls = new List<QueuedCall>(_queue.Count);
        foreach (QueuedCall call in _queue)
        {
            call.Node = null;
            calls.Add(call);
        }

        _queue.Clear();
        return calls;
    }

    private static void FailAll(List<QueuedCall> calls, Exception error)
    {
        foreach (QueuedCall call in calls)
        {
            call.Fail(error);
        }
    }

    private static async Task<T> Typed<T>(Task<JsonElement> call, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        JsonElement element = await call.ConfigureAwait(false);
        return element.Deserialize(typeInfo) ?? throw new JsonException("The response payload is null.");
    }

    private static async Task<bool> Sent(Task send)
    {
        await send.ConfigureAwait(false);
        return true;
    }
}

using System.Text.Json;

namespace Ocpp.Rpc.Client;

// The transaction-message queue (OcppClientOptions.MessageQueue): enqueue, handles, results by id.
public sealed partial class OcppClient
{
    /// <summary>A queued transaction message was dropped after <see cref="OcppMessageQueueOptions.MessageAttempts"/> attempts.</summary>
    public event EventHandler<OcppMessageDroppedEventArgs>? MessageDropped
    {
        add => RequireQueue().Dropped += value;
        remove => RequireQueue().Dropped -= value;
    }

    /// <summary>How many transaction messages wait in the queue (including the one in flight); 0 without a queue.</summary>
    public int QueuedMessageCount => _messages?.Count ?? 0;

    /// <summary>
    /// Appends a CALL to the transaction-message queue: written to the store before this returns, sent in order one at
    /// a time whenever the client is open, retried as <see cref="OcppClientOptions.MessageQueue"/> says, and kept across
    /// disconnects and (with a durable store) restarts. Works in any client state, also before the first connect.
    /// </summary>
    /// <param name="action">The action name (any action; the queue does not check <see cref="OcppMessageQueueOptions.TransactionActions"/> here).</param>
    /// <param name="payload">The request payload; serialized now.</param>
    /// <param name="cancellationToken">Cancels waiting to append (the message is queued once this returns).</param>
    /// <returns>The handle; its <see cref="OcppMessageHandle.Completion"/> completes when the CSMS answered.</returns>
    /// <exception cref="InvalidOperationException"><see cref="OcppClientOptions.MessageQueue"/> is not set.</exception>
    /// <exception cref="OcppCallQueueFullException"><see cref="OcppMessageQueueOptions.MaxQueuedMessages"/> messages already wait.</exception>
    /// <exception cref="OcppMessageStoreException">The store could not record the message; it is not queued.</exception>
    public ValueTask<OcppMessageHandle> EnqueueAsync(string action, OcppPayload payload = default, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        ClientMessageQueue queue = RequireQueue();
        return queue.EnqueueAsync(action, payload.ToUtf8Array(), null, cancellationToken);
    }

    /// <summary>Appends a typed CALL to the transaction-message queue, like <see cref="EnqueueAsync(string, OcppPayload, CancellationToken)"/>.</summary>
    /// <typeparam name="TRequest">The request record, e.g. <c>TransactionEventRequest</c>.</typeparam>
    /// <typeparam name="TResponse">Its response record; read it with <see cref="OcppMessageResult.GetResponse{T}(System.Text.Json.Serialization.Metadata.JsonTypeInfo{T})"/> and <c>TRequest.ResponseTypeInfo</c>.</typeparam>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting to append.</param>
    /// <returns>The handle.</returns>
    /// <exception cref="ArgumentException">The request belongs to another protocol than the one the client negotiated.</exception>
    public ValueTask<OcppMessageHandle> EnqueueAsync<TRequest, TResponse>(IOcppRequest<TRequest, TResponse> request, CancellationToken cancellationToken = default)
        where TRequest : IOcppRequest<TRequest, TResponse>
    {
        ArgumentNullException.ThrowIfNull(request);
        ClientMessageQueue queue = RequireQueue();
        EnsureQueuedProtocol(TRequest.Protocol, TRequest.Action);
        return queue.EnqueueAsync(TRequest.Action, OcppPayload.From((TRequest)request, TRequest.RequestTypeInfo).ToUtf8Array(), null, cancellationToken);
    }

    /// <summary>The handles of the messages still queued, oldest first: after a restart, those the store kept.</summary>
    /// <param name="cancellationToken">Cancels waiting for the store.</param>
    /// <returns>The handles in send order.</returns>
    /// <exception cref="InvalidOperationException"><see cref="OcppClientOptions.MessageQueue"/> is not set.</exception>
    /// <exception cref="OcppMessageStoreException">The store could not be read.</exception>
    public ValueTask<IReadOnlyList<OcppMessageHandle>> GetQueuedMessagesAsync(CancellationToken cancellationToken = default) =>
        RequireQueue().GetQueuedAsync(cancellationToken);

    /// <summary>
    /// The result of a queued message by its <see cref="OcppMessageHandle.Id"/>, also one enqueued before a restart: waits
    /// while it is still queued, reads the store when it completed. <see langword="null"/> for an id the store does not
    /// know (never queued, or its result is no longer retained).
    /// </summary>
    /// <param name="id">The handle id.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The result, or <see langword="null"/>.</returns>
    /// <exception cref="InvalidOperationException"><see cref="OcppClientOptions.MessageQueue"/> is not set.</exception>
    public ValueTask<OcppMessageResult?> GetMessageResultAsync(long id, CancellationToken cancellationToken = default) =>
        RequireQueue().GetResultAsync(id, cancellationToken);

    // A transaction-related call through the queue (null when the call is not one and goes the plain way).
    private Task<JsonElement>? TryQueueCall(string action, OcppPayload payload, OcppCallOptions? options, CancellationToken cancellationToken, out byte[]? serialized)
    {
        serialized = null;
        if (_messages is not { } queue || !queue.Routes(action))
        {
            return null;
        }

        byte[] bytes = payload.ToUtf8Array();
        if (!ClientMessageQueue.IsTransactionMessage(action, bytes))
        {
            serialized = bytes;
            return null;
        }

        return queue.CallAsync(action, bytes, options?.MessageId, cancellationToken);
    }

    private void EnsureQueuedProtocol(string expected, string action)
    {
        if (Protocol is { } protocol && !string.Equals(expected, protocol, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{action} is an {expected} message but the client speaks {protocol}.");
        }
    }

    private ClientMessageQueue RequireQueue() =>
        _messages ?? throw new InvalidOperationException("The client has no message queue: set OcppClientOptions.MessageQueue.");
}

using System.Buffers;
using System.Text.Json;
using Ocpp.Rpc.Framing;
using Ocpp.Rpc.Internal;
using Ocpp.Rpc.Validation;

namespace Ocpp.Rpc;

// The send path: outbound CALLs (with timeout, cancellation and the concurrency limit), SENDs, and the replies of
// handlers. Frames are written once into a pooled buffer; strict-mode validation reads the payload from that buffer.
public sealed partial class OcppConnection
{
    /// <summary>Sends a CALL and waits for its CALLRESULT, returned as raw JSON.</summary>
    /// <param name="action">The case-sensitive action name.</param>
    /// <param name="payload">The request payload (default: <c>{}</c>).</param>
    /// <param name="options">Per-call timeout, validation and message id.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL may already have been sent).</param>
    /// <returns>The CALLRESULT payload.</returns>
    /// <exception cref="OcppRpcException">The peer answered with a CALLERROR (a subclass per code), or strict mode rejected the request or response.</exception>
    /// <exception cref="OcppCallTimeoutException">No answer within the timeout.</exception>
    /// <exception cref="OcppConnectionClosedException">The connection is closed or closed while waiting.</exception>
    /// <exception cref="OcppCallQueueFullException">Too many calls are already waiting for their turn.</exception>
    public Task<JsonElement> CallAsync(string action, OcppPayload payload = default, OcppCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        if (options?.Protocol is { } expected)
        {
            EnsureProtocol(expected, action);
        }

        if (_hooks?.Outbound is { } outbound)
        {
            return CallFilteredAsync(outbound, action, payload, CoreJsonContext.Default.JsonElement, options, cancellationToken);
        }

        var pending = new PendingCall<JsonElement>(action, options?.SkipValidation ?? false, CoreJsonContext.Default.JsonElement) { DataTransfer = options?.DataTransferResponse };
        return CallCoreAsync(action, payload, pending, options, null, cancellationToken);
    }

    /// <summary>Sends a CALL and waits for its CALLRESULT, deserialized straight from the frame with <paramref name="responseType"/>.</summary>
    /// <typeparam name="TResponse">The response type.</typeparam>
    /// <param name="action">The case-sensitive action name.</param>
    /// <param name="payload">The request payload.</param>
    /// <param name="responseType">The response's source-generated metadata.</param>
    /// <param name="options">Per-call timeout, validation, message id and protocol.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The deserialized CALLRESULT.</returns>
    /// <exception cref="ArgumentException"><see cref="OcppCallOptions.Protocol"/> is not the connection's.</exception>
    public Task<TResponse> CallAsync<TResponse>(string action, OcppPayload payload, System.Text.Json.Serialization.Metadata.JsonTypeInfo<TResponse> responseType, OcppCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentNullException.ThrowIfNull(responseType);
        if (options?.Protocol is { } expected)
        {
            EnsureProtocol(expected, action);
        }

        if (_hooks?.Outbound is { } outbound)
        {
            return CallFilteredAsync(outbound, action, payload, responseType, options, cancellationToken);
        }

        var pending = new PendingCall<TResponse>(action, options?.SkipValidation ?? false, responseType) { DataTransfer = options?.DataTransferResponse };
        return CallCoreAsync(action, payload, pending, options, null, cancellationToken);
    }

    /// <summary>Sends an OCPP 2.1 SEND <c>[6, id, action, payload]</c>: one-way, never answered, allowed while a CALL is pending.</summary>
    /// <param name="action">The action name.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="options">Validation and message id (the timeout does not apply).</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <exception cref="InvalidOperationException">The connection does not speak OCPP 2.1.</exception>
    public Task SendAsync(string action, OcppPayload payload = default, OcppCallOptions? options = null, CancellationToken cancellationToken = default) =>
        _hooks?.Outbound is { } outbound
            ? SendFilteredAsync(outbound, action, payload, options, cancellationToken)
            : SendCoreAsync(action, payload, options, null, cancellationToken);

    private void EnsureCanSend(string action, OcppCallOptions? options)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        if (Dialect != OcppDialect.Ocpp21)
        {
            throw new InvalidOperationException($"SEND is an OCPP 2.1 message; the connection speaks {Protocol ?? "no protocol"}.");
        }

        if (options?.Protocol is { } expected)
        {
            EnsureProtocol(expected, action);
        }
    }

    private async Task SendCoreAsync(string action, OcppPayload payload, OcppCallOptions? options, string? messageId, CancellationToken cancellationToken)
    {
        EnsureCanSend(action, options);
        ThrowIfNotOpen();
        string id = messageId ?? options?.MessageId ?? NextMessageId();
        using FrameBuffer frame = FrameBuffer.Rent();
        Range range = frame.WriteCall(OcppMessageType.Send, id, action, payload);
        ThrowIfInvalid(options, id, action, frame.Written.Span[range]);
        await SendFrameAsync(frame, cancellationToken).ConfigureAwait(false);
        Telemetry.CountMessage(OcppDirection.Outbound, OcppMessageType.Send);
        if (CallSent is { } callSent)
        {
            Raise(callSent, new OcppCallEventArgs(OcppDirection.Outbound, OcppMessageType.Send, id, action, Text(frame.Written.Span[range])), nameof(CallSent));
        }
    }

    // With outbound filters: the message id is chosen first (the filters see it), then the pipeline runs; its last
    // stage is the plain send (a static lambda per T, so cached: no allocation for it).
    private async Task<T> CallFilteredAsync<T>(Filters.OutboundCallPipeline pipeline, string action, OcppPayload payload, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> responseType, OcppCallOptions? options, CancellationToken cancellationToken)
    {
        if (options?.MessageId is { Length: > OcppFrameReader.MaxMessageIdLength })
        {
            throw new ArgumentException($"A message id has at most {OcppFrameReader.MaxMessageIdLength} characters.", nameof(options));
        }

        var context = new OcppOutboundCallContext(this, OcppMessageType.Call, options?.MessageId ?? NextMessageId(), action, payload, options, cancellationToken)
        {
            Terminal = static async context =>
            {
                var typeInfo = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)context.ResponseType!;
                var pending = new PendingCall<T>(context.Action, context.Options?.SkipValidation ?? false, typeInfo) { DataTransfer = context.Options?.DataTransferResponse };
                T value = await context.Connection.CallCoreAsync(context.Action, context.Payload, pending, context.Options, context.MessageId, context.CancellationToken).ConfigureAwait(false);
                return OcppCallResult.From(value, typeInfo);
            },
            ResponseType = responseType,
        };

        OcppCallResult result = await pipeline.Entry(context).ConfigureAwait(false);
        return result.As(responseType);
    }

    private async Task SendFilteredAsync(Filters.OutboundCallPipeline pipeline, string action, OcppPayload payload, OcppCallOptions? options, CancellationToken cancellationToken)
    {
        EnsureCanSend(action, options);
        var context = new OcppOutboundCallContext(this, OcppMessageType.Send, options?.MessageId ?? NextMessageId(), action, payload, options, cancellationToken)
        {
            Terminal = static async context =>
            {
                await context.Connection.SendCoreAsync(context.Action, context.Payload, context.Options, context.MessageId, context.CancellationToken).ConfigureAwait(false);
                return OcppCallResult.None;
            },
        };

        await pipeline.Entry(context).ConfigureAwait(false);
    }

    private async Task<T> CallCoreAsync<T>(string action, OcppPayload payload, PendingCall<T> pending, OcppCallOptions? options, string? messageId, CancellationToken cancellationToken)
    {
        ThrowIfNotOpen();
        if (options?.MessageId is { Length: > OcppFrameReader.MaxMessageIdLength })
        {
            throw new ArgumentException($"A message id has at most {OcppFrameReader.MaxMessageIdLength} characters.", nameof(options));
        }

        if (!CallSlots.Wait(0))
        {
            await WaitForCallSlotAsync(cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Increment(ref _activeOperations);
        string id = messageId ?? options?.MessageId ?? NextMessageId();
        bool registered = false;
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        string outcome = "error";
        using System.Diagnostics.Activity? activity = StartActivity("ocpp.call", System.Diagnostics.ActivityKind.Client, action, id);
        TimeSpan timeout = options?.Timeout ?? Options.CallTimeout;
        try
        {
            ThrowIfNotOpen();
            if (!Pending.TryAdd(id, pending))
            {
                throw new InvalidOperationException($"A call with message id {id} is already in flight.");
            }

            registered = true;
            using (FrameBuffer frame = FrameBuffer.Rent())
            {
                Range range = frame.WriteCall(OcppMessageType.Call, id, action, payload);
                ThrowIfInvalid(options, id, action, frame.Written.Span[range]);
                if (CallSent is { } callSent)
                {
                    Raise(callSent, new OcppCallEventArgs(OcppDirection.Outbound, OcppMessageType.Call, id, action, Text(frame.Written.Span[range])), nameof(CallSent));
                }

                ValueTask send = SendFrameAsync(frame, cancellationToken);
                if (!send.IsCompletedSuccessfully)
                {
                    await AwaitStuckSendAsync(send, action, id, timeout).ConfigureAwait(false);
                }

                Telemetry.CountMessage(OcppDirection.Outbound, OcppMessageType.Call);
            }

            try
            {
                T result = await pending.Task.WaitAsync(Remaining(timeout, started), cancellationToken).ConfigureAwait(false);
                outcome = "ok";
                return result;
            }
            catch (TimeoutException)
            {
                if (pending.Task.IsCompleted)
                {
                    // The answer (or the close) landed as the timer fired: report that, never a bare TimeoutException.
                    T late = await pending.Task.ConfigureAwait(false);
                    outcome = "ok";
                    return late;
                }

                outcome = "timeout";
                Log.CallTimedOut(_logger, Identity, action, id);
                throw new OcppCallTimeoutException(action, id, timeout);
            }
        }
        catch (Exception ex) when (activity is not null)
        {
            activity.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            activity.SetTag("error.type", ex is OcppRpcException rpc ? rpc.WireCode ?? rpc.Code.ToString() : ex.GetType().Name);
            throw;
        }
        finally
        {
            Telemetry.RecordCall(Telemetry.CallDuration, action, outcome, started);
            if (registered)
            {
                _pending?.TryRemove(new KeyValuePair<string, PendingCall>(id, pending));
            }

            CallSlots.Release();
            EndOperation();
        }
    }

    private void EnsureProtocol(string expected, string what)
    {
        if (Protocol is not null && !string.Equals(expected, Protocol, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{what} is an {expected} message but the connection speaks {Protocol}.");
        }
    }

    private static TimeSpan Remaining(TimeSpan timeout, long started) =>
        timeout == Timeout.InfiniteTimeSpan ? timeout : TimeSpan.FromTicks(Math.Max(0, (timeout - System.Diagnostics.Stopwatch.GetElapsedTime(started)).Ticks));

    // The call's timeout also bounds its send. A WebSocket send cannot be cancelled without aborting the socket, so a
    // send stuck past the timeout (the peer stopped reading) drops the link; the frame buffer is kept until it ends.
    private async Task AwaitStuckSendAsync(ValueTask send, string action, string id, TimeSpan timeout)
    {
        Task sending = send.AsTask();
        try
        {
            await sending.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.CallTimedOut(_logger, Identity, action, id);
            _transport.Abort();
            try
            {
                await sending.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OcppConnectionClosedException or OperationCanceledException)
            {
                // Expected: the aborted send fails.
            }

            throw new OcppCallTimeoutException(action, id, timeout);
        }
    }

    private async Task WaitForCallSlotAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _queuedCalls) > Options.MaxQueuedCalls)
        {
            Interlocked.Decrement(ref _queuedCalls);
            throw new OcppCallQueueFullException(Options.MaxQueuedCalls);
        }

        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopCalls.Token);
            await CallSlots.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw ClosedException("The connection closed before the call could be sent.", wasSent: false);
        }
        finally
        {
            Interlocked.Decrement(ref _queuedCalls);
        }
    }

    private void ThrowIfInvalid(OcppCallOptions? options, string id, string action, ReadOnlySpan<byte> payload)
    {
        if (options?.SkipValidation != true && Validate(OcppDirection.Outbound, OcppPayloadKind.Request, id, action, payload) is { } failure)
        {
            throw OcppRpcException.Create(failure.Code, null, "The request failed validation: " + failure.Description, null);
        }
    }

    // Answers a CALL; a response that fails strict-mode validation is replaced by an InternalError. Takes over the
    // request's pooled buffer and returns it once the reply is serialized (the reply may have been made from it): a
    // reply stuck behind a peer that stopped reading then holds only its own bytes.
    private async ValueTask SendResultAsync(string messageId, string action, OcppPayload payload, byte[] requestBuffer)
    {
        using FrameBuffer frame = FrameBuffer.Rent();
        Range range;
        try
        {
            range = frame.WriteResult(messageId, payload);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            ArrayPool<byte>.Shared.Return(requestBuffer);
            Log.HandlerFailed(_logger, ex, Identity, action, messageId);
            await SendErrorAsync(OcppMessageType.CallError, messageId, action, OcppErrorCode.InternalError, "The response could not be serialized.", null).ConfigureAwait(false);
            return;
        }

        ArrayPool<byte>.Shared.Return(requestBuffer);

        if (Validate(OcppDirection.Outbound, OcppPayloadKind.Response, messageId, action, frame.Written.Span[range]) is { } failure)
        {
            await SendErrorAsync(OcppMessageType.CallError, messageId, action, OcppErrorCode.InternalError, "The response failed validation: " + failure.Description, null).ConfigureAwait(false);
            return;
        }

        if (!await TrySendReplyAsync(frame).ConfigureAwait(false))
        {
            return;
        }

        Telemetry.CountMessage(OcppDirection.Outbound, OcppMessageType.CallResult);
        if (ResultSent is { } resultSent)
        {
            Raise(resultSent, new OcppResultEventArgs(OcppDirection.Outbound, messageId, action, Text(frame.Written.Span[range])), nameof(ResultSent));
        }
    }

    private async ValueTask SendErrorAsync(OcppMessageType type, string messageId, string? action, OcppErrorCode code, string? description, JsonElement? details)
    {
        string wireCode = OcppErrorCodes.ToWire(code, Dialect);
        using FrameBuffer frame = FrameBuffer.Rent();
        OcppFrameWriter.WriteError(frame.Writer, type, messageId, wireCode, description, details);
        if (!await TrySendReplyAsync(frame).ConfigureAwait(false))
        {
            return;
        }

        Telemetry.CountMessage(OcppDirection.Outbound, type);
        if (ErrorSent is { } errorSent)
        {
            string detailsJson = details is { ValueKind: JsonValueKind.Object } d ? d.GetRawText() : "{}";
            Raise(errorSent, new OcppErrorEventArgs(OcppDirection.Outbound, type, messageId, action, code, wireCode, description ?? string.Empty, detailsJson), nameof(ErrorSent));
        }
    }

    // Replies are best effort: if the link is gone, the receive loop reports the close.
    private async ValueTask<bool> TrySendReplyAsync(FrameBuffer frame)
    {
        if (State == OcppConnectionState.Closed)
        {
            return false;
        }

        try
        {
            await SendFrameAsync(frame, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (OcppConnectionClosedException)
        {
            return false;
        }
    }

    private async ValueTask SendFrameAsync(FrameBuffer frame, CancellationToken cancellationToken)
    {
        int length = frame.Written.Length;
        long waiting = Interlocked.Add(ref _pendingSendBytes, length);
        try
        {
            if (waiting > Options.MaxPendingSendBytes && waiting != length)
            {
                // The peer does not read as fast as we answer: drop it rather than queue its replies in memory.
                Log.SendQueueFull(_logger, Identity, waiting - length, Options.MaxPendingSendBytes);
                string reason = $"The peer is not reading: {waiting - length} bytes already wait to be sent.";
                AbortLink(reason);
                throw ClosedException(reason, wasSent: false);
            }

            if (!SendLock.Wait(0))
            {
                await SendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            try
            {
                await WriteFrameAsync(frame, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                SendLock.Release();
            }

            if (_hooks?.Observers is { } observers)
            {
                Observe(observers, OcppDirection.Outbound, frame.Written.Span);
            }
        }
        finally
        {
            Interlocked.Add(ref _pendingSendBytes, -length);
        }
    }

    // Writes one frame (the send lock held) within SendTimeout; the deadline costs nothing while sends complete at once.
    private async ValueTask WriteFrameAsync(FrameBuffer frame, CancellationToken cancellationToken)
    {
        try
        {
            if (State == OcppConnectionState.Closed)
            {
                throw ClosedException("The connection is closed.", wasSent: false);
            }

            ValueTask send = _transport.SendAsync(frame.Written, cancellationToken);
            if (send.IsCompletedSuccessfully)
            {
                return;
            }

            if (Options.SendTimeout == Timeout.InfiniteTimeSpan)
            {
                await send.ConfigureAwait(false);
                return;
            }

            Task sending = send.AsTask();
            try
            {
                await sending.WaitAsync(Options.SendTimeout, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Log.SendTimedOut(_logger, Identity, Options.SendTimeout.TotalSeconds);
                string reason = $"The peer stopped reading: a send did not complete within {Options.SendTimeout.TotalSeconds:0.#} s.";
                AbortLink(reason); // Ends the stuck send, and every send and handler waiting behind it.
                await Task.WhenAny(sending).ConfigureAwait(false);
                _ = sending.Exception; // Observed: the aborted send's failure is this timeout.
                throw ClosedException(reason);
            }
        }
        catch (Exception ex) when (ex is IOException or System.Net.WebSockets.WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            throw ClosedException("The link failed while sending: " + ex.Message, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A WebSocket aborted under a send in progress (the receive loop saw the link fail and aborted it)
            // fails that send with OperationCanceledException: for the caller, the link failed.
            throw ClosedException("The link failed while sending: " + (ex.InnerException ?? ex).Message, ex);
        }
    }

    private void EndOperation()
    {
        if (Interlocked.Decrement(ref _activeOperations) == 0 && State != OcppConnectionState.Open)
        {
            Drained.TrySetResult();
        }
    }

    private void ThrowIfNotOpen()
    {
        if (State != OcppConnectionState.Open)
        {
            throw ClosedException(State == OcppConnectionState.Closing ? "The connection is closing." : "The connection is closed.", wasSent: false);
        }
    }

    private OcppConnectionClosedException ClosedException(string message, Exception? inner = null, bool wasSent = true)
    {
        OcppClosedEventArgs? closed = _closed.Task.IsCompletedSuccessfully ? _closed.Task.Result : null;
        return new OcppConnectionClosedException(message, closed?.Code, closed?.Reason, inner, wasSent);
    }

    private System.Diagnostics.Activity? StartActivity(string name, System.Diagnostics.ActivityKind kind, string action, string messageId)
    {
        if (!Telemetry.Source.HasListeners())
        {
            return null;
        }

        // Each message is its own trace, linked to the activity the connection was started under: as a child of that
        // long-lived activity (a WebSocket request open for days, usually not recorded) a parent-based sampler would
        // drop every message, or put a connection's whole life in one trace. An outbound call made under some other
        // activity (an API request, a handler) stays that activity's child.
        System.Diagnostics.Activity? ambient = System.Diagnostics.Activity.Current;
        System.Diagnostics.ActivityLink[]? links = _startLinks;
        if (ambient is not null && (kind == System.Diagnostics.ActivityKind.Server || (links is not null && ambient.Context == links[0].Context)))
        {
            System.Diagnostics.Activity.Current = null; // This flow only: the handler's task, or the rest of CallAsync.
        }
        else if (ambient is not null)
        {
            links = null;
        }

        System.Diagnostics.Activity? activity = Telemetry.Source.StartActivity(kind, parentContext: default, tags: null, links: links, name: $"{name} {action}");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("rpc.system", "ocpp");
            activity.SetTag("rpc.method", action);
            activity.SetTag("ocpp.message_id", messageId);
            activity.SetTag("ocpp.protocol", Protocol);
            activity.SetTag("ocpp.identity", Identity);
        }

        return activity;
    }
}

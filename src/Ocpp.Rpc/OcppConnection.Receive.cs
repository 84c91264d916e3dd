using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Ocpp.Rpc.Framing;
using Ocpp.Rpc.Internal;
using Ocpp.Rpc.Transport;
using Ocpp.Rpc.Validation;

namespace Ocpp.Rpc;

// The receive path: one loop reads whole messages, parses each once, answers protocol errors, completes pending
// calls synchronously (while the buffer is valid) and hands CALLs to handlers that run concurrently.
// Ordering: a pending call's task completes with synchronous continuations, so the code after the caller's
// `await CallAsync` runs (up to its next await) on this loop before the next message is read: the handler of a CALL
// that arrived after a CALLRESULT or CALLERROR never starts before the caller has seen that answer.
public sealed partial class OcppConnection
{
    private const int BadMessageEcho = 1024;

    private async Task ReceiveLoopAsync()
    {
        // Continue on the thread pool at once (as Task.Run would, without its delegate and proxy task, which an idle
        // connection would keep for its whole life).
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        // No buffer is held while waiting: transports that wait for data before asking for memory (WebSocketTransport
        // does a zero-byte read) let an idle connection hold none, and the pool shares buffers among busy ones.
        using var buffer = new PooledBufferWriter(0, Options.MaxMessageSize);
        while (true)
        {
            if (Volatile.Read(ref _readPause) is not null)
            {
                await WaitWhileReadingPausedAsync().ConfigureAwait(false);
            }

            buffer.Clear();
            TransportReceiveResult received;
            try
            {
                // No token: a WebSocket cannot cancel a receive without aborting the link anyway, and a cancellable
                // one costs two registrations per read (kept for an idle connection's whole life). Every way the
                // connection ends either happens in this loop or aborts the transport, which ends the read.
                received = await _transport.ReceiveAsync(buffer, CancellationToken.None).ConfigureAwait(false);
            }
            catch (MessageTooLargeException ex)
            {
                Log.MessageTooLarge(_logger, Identity, ex.Limit);
                await CloseAfterOversizedMessageAsync().ConfigureAwait(false);
                return;
            }
            catch (TransportClosedException ex)
            {
                // The transport closed the link itself (an incomplete message out of time or over budget).
                Log.TransportClosed(_logger, Identity, ex.CloseCode, ex.Message);
                _transport.Abort();
                Finish(ex.CloseCode, ex.Message, closedByPeer: false);
                return;
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // Dropped by us (AbortLink) or by the link itself.
                string? ours = Volatile.Read(ref _abortReason);
                if (State != OcppConnectionState.Closed)
                {
                    Log.TransportFailed(_logger, Identity, ours ?? ex.Message);
                }

                _transport.Abort();
                Finish(OcppCloseCodes.Abnormal, ours ?? ex.Message, closedByPeer: ours is null);
                return;
            }

            if (received.Kind == TransportMessageKind.Close)
            {
                await OnPeerCloseAsync(received.CloseCode, received.CloseReason).ConfigureAwait(false);
                return;
            }

            if (received.Kind == TransportMessageKind.Binary)
            {
                ReportBadMessage(new OcppFrameError(OcppFrameErrorKind.BinaryMessage, "Binary messages are not OCPP-J.", null, null), buffer.WrittenSpan);
            }
            else
            {
                if (_hooks?.Observers is { } observers)
                {
                    Observe(observers, OcppDirection.Inbound, buffer.WrittenSpan);
                }

                await ProcessMessageAsync(buffer).ConfigureAwait(false);
            }

            buffer.Release();
        }
    }

    private ValueTask ProcessMessageAsync(PooledBufferWriter buffer)
    {
        ReadOnlyMemory<byte> message = buffer.WrittenMemory;
        if (!OcppFrameReader.TryRead(message.Span, out OcppFrame frame, out OcppFrameError error))
        {
            return OnFrameErrorAsync(error, message);
        }

        Telemetry.CountMessage(OcppDirection.Inbound, frame.MessageType);

        bool is21 = Dialect == OcppDialect.Ocpp21;
        switch (frame.MessageType)
        {
            case OcppMessageType.Call:
                return OnCallAsync(frame, buffer);
            case OcppMessageType.Send when is21:
                return OnCallAsync(frame, buffer);
            case OcppMessageType.CallResult:
                return OnResultAsync(frame, message);
            case OcppMessageType.CallError:
                OnError(frame, message.Span);
                return ValueTask.CompletedTask;
            case OcppMessageType.CallResultError when is21:
                OnResultError(frame, message.Span);
                return ValueTask.CompletedTask;
            default:
                // SEND and CALLRESULTERROR do not exist before 2.1.
                var unknown = new OcppFrameError(OcppFrameErrorKind.UnknownMessageType, $"Message type {(int)frame.MessageType} is not supported by {Protocol ?? "this protocol"}.", (int)frame.MessageType, frame.MessageId);
                return OnFrameErrorAsync(unknown, message);
        }
    }

    private async ValueTask OnCallAsync(OcppFrame frame, PooledBufferWriter buffer)
    {
        ReadOnlyMemory<byte> message = buffer.WrittenMemory;
        Volatile.Write(ref _badMessages, 0);
        bool isSend = frame.MessageType == OcppMessageType.Send;
        string id = frame.MessageId;
        string action = frame.Action!;
        ReadOnlyMemory<byte> payload = message[frame.Payload];
        if (CallReceived is { } callReceived)
        {
            Raise(callReceived, new OcppCallEventArgs(OcppDirection.Inbound, frame.MessageType, id, action, Text(payload.Span)), nameof(CallReceived));
        }

        if (State != OcppConnectionState.Open)
        {
            if (!isSend)
            {
                await SendErrorAsync(OcppMessageType.CallError, id, action, OcppErrorCode.GenericError, "The connection is closing.", null).ConfigureAwait(false);
            }

            return;
        }

        if (!isSend && !InboundInFlight.TryAdd(id))
        {
            var duplicate = new OcppFrameError(OcppFrameErrorKind.DuplicateMessageId, "A call with this message id is still being processed.", (int)OcppMessageType.Call, id);
            await SendErrorAsync(OcppMessageType.CallError, id, action, OcppErrorCode.RpcFrameworkError, duplicate.Description, null).ConfigureAwait(false);
            ReportBadMessage(duplicate, message.Span);
            return;
        }

        OcppCallHandler? handler = FindHandler(action);
        Filters.CallPipeline? pipeline = Volatile.Read(ref _hooks)?.Pipeline;
        if (handler is null && pipeline is not null)
        {
            handler = NotImplementedHandler; // Filters see unknown actions too (a boot gate answers them first).
        }

        if (handler is null)
        {
            if (!isSend)
            {
                _inboundInFlight?.Remove(id);
                await SendErrorAsync(OcppMessageType.CallError, id, action, OcppErrorCode.NotImplemented, $"Unknown action: {action}", null).ConfigureAwait(false);
            }

            return;
        }

        if (Validate(OcppDirection.Inbound, OcppPayloadKind.Request, id, action, payload.Span) is { } failure)
        {
            if (!isSend)
            {
                _inboundInFlight?.Remove(id);
                await SendErrorAsync(OcppMessageType.CallError, id, action, failure.Code, failure.Description, null).ConfigureAwait(false);
            }

            return;
        }

        // The handler takes the pooled receive buffer over (and returns it to the pool when it ends); the loop rents
        // another for the next message. No copy, and one buffer per message instead of two.
        byte[] owned = buffer.Detach();
        var context = new OcppCallContext(this, frame.MessageType, id, action, payload, _lifetime.Token) { Handler = handler };

        // Back-pressure: with MaxConcurrentHandlers running, stop reading until one finishes. Only this loop takes
        // slots, so a counter does it; the count goes one over the limit while the loop waits for a slot to be freed.
        if (Interlocked.Increment(ref _runningHandlers) > Options.MaxConcurrentHandlers)
        {
            try
            {
                await HandlerSlotFreed.WaitAsync(_lifetime.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Decrement(ref _runningHandlers);
                ArrayPool<byte>.Shared.Return(owned);
                return;
            }
        }

        Interlocked.Increment(ref _activeOperations);
        _ = RunHandlerAsync(pipeline?.Entry ?? handler, context, owned);
    }

    private async Task RunHandlerAsync(OcppCallHandler handler, OcppCallContext context, byte[]? payloadBuffer)
    {
        bool isSend = context.MessageType == OcppMessageType.Send;
        long started = Telemetry.HandlerDuration.Enabled ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        string outcome = "error";
        using System.Diagnostics.Activity? activity = StartActivity("ocpp.handle", System.Diagnostics.ActivityKind.Server, context.Action, context.MessageId);
        try
        {
            OcppReply reply;
            try
            {
                reply = await handler(context).ConfigureAwait(false);
            }
            catch (OcppRpcException ex)
            {
                if (!isSend)
                {
                    await SendErrorAsync(OcppMessageType.CallError, context.MessageId, context.Action, ex.Code, ex.Description, ex.Details).ConfigureAwait(false);
                }

                return;
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                return; // The connection is going away: nobody is left to answer.
            }
            catch (JsonException ex)
            {
                if (!isSend)
                {
                    string description = Options.DetailedErrors ? $"The payload does not fit {context.Action}: {ex.Message}" : $"The payload does not fit {context.Action}.";
                    await SendErrorAsync(OcppMessageType.CallError, context.MessageId, context.Action, OcppErrorCode.FormatViolation, description, null).ConfigureAwait(false);
                }

                return;
            }
#pragma warning disable CA1031 // Any handler failure becomes an InternalError for the peer.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (isSend)
                {
                    Log.SendHandlerFailed(_logger, ex, Identity, context.Action, context.MessageId);
                    return;
                }

                Log.HandlerFailed(_logger, ex, Identity, context.Action, context.MessageId);
                string description = Options.DetailedErrors ? $"{ex.GetType().Name}: {ex.Message}" : "An internal error occurred.";
                await SendErrorAsync(OcppMessageType.CallError, context.MessageId, context.Action, OcppErrorCode.InternalError, description, null).ConfigureAwait(false);
                return;
            }

            outcome = "ok";
            if (!isSend && !reply.IsNoReply)
            {
                byte[] requestBuffer = payloadBuffer!;
                payloadBuffer = null; // SendResultAsync returns it as soon as the reply is serialized.
                await SendResultAsync(context.MessageId, context.Action, reply.Payload, requestBuffer).ConfigureAwait(false);
            }
        }
        finally
        {
            Telemetry.RecordCall(Telemetry.HandlerDuration, context.Action, outcome, started);
            if (outcome != "ok")
            {
                activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error);
            }

            if (!isSend)
            {
                _inboundInFlight?.Remove(context.MessageId);
            }

            if (payloadBuffer is not null)
            {
                ArrayPool<byte>.Shared.Return(payloadBuffer);
            }

            if (context.HasScope)
            {
                await DisposeScopeAsync(context).ConfigureAwait(false);
            }

            if (Interlocked.Decrement(ref _runningHandlers) >= Options.MaxConcurrentHandlers)
            {
                HandlerSlotFreed.Release(); // The loop is waiting for this slot.
            }

            EndOperation();
        }
    }

    private static readonly OcppCallHandler NotImplementedHandler = static context =>
        throw new OcppNotImplementedException($"Unknown action: {context.Action}");

    private async ValueTask DisposeScopeAsync(OcppCallContext context)
    {
        try
        {
            await context.DisposeScopeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A scoped service that fails to dispose must not break the connection.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.EventHandlerFailed(_logger, ex, Identity, "DisposeScope");
        }
    }

    private async ValueTask OnResultAsync(OcppFrame frame, ReadOnlyMemory<byte> message)
    {
        Volatile.Write(ref _badMessages, 0);
        ReadOnlySpan<byte> payload = message.Span[frame.Payload];
        PendingCall? pending = null;
        if (Volatile.Read(ref _pending) is not { } calls || !calls.TryRemove(frame.MessageId, out pending))
        {
            ReportUnmatched(OcppMessageType.CallResult, frame.MessageId, payload);
            return;
        }

        if (ResultReceived is { } resultReceived)
        {
            Raise(resultReceived, new OcppResultEventArgs(OcppDirection.Inbound, frame.MessageId, pending.Action, Text(payload)), nameof(ResultReceived));
        }

        OcppErrorCode? rejected = null;
        string? reason = null;
        if (!pending.SkipValidation && Validate(OcppDirection.Inbound, OcppPayloadKind.Response, frame.MessageId, pending.Action, payload, pending.DataTransfer) is { } failure)
        {
            pending.SetError(OcppRpcException.Create(failure.Code, null, "The response failed validation: " + failure.Description, null));
            (rejected, reason) = (failure.Code, failure.Description);
        }
        else
        {
            try
            {
                pending.SetResult(payload);
            }
            catch (JsonException ex)
            {
                reason = $"The response does not fit {pending.Action}: {ex.Message}";
                pending.SetError(new OcppFormatViolationException(reason));
                rejected = OcppErrorCode.FormatViolation;
            }
        }

        // 2.1 lets the caller tell the peer that its CALLRESULT could not be processed.
        if (rejected is { } code && Dialect == OcppDialect.Ocpp21)
        {
            await SendErrorAsync(OcppMessageType.CallResultError, frame.MessageId, pending.Action, code, reason, null).ConfigureAwait(false);
        }
    }

    private void OnError(OcppFrame frame, ReadOnlySpan<byte> message)
    {
        Volatile.Write(ref _badMessages, 0);
        ReadOnlySpan<byte> detailsJson = frame.ErrorDetails.Equals(default(Range)) ? "{}"u8 : message[frame.ErrorDetails];
        PendingCall? pending = null;
        if (Volatile.Read(ref _pending) is not { } calls || !calls.TryRemove(frame.MessageId, out pending))
        {
            ReportUnmatched(OcppMessageType.CallError, frame.MessageId, detailsJson);
            return;
        }

        OcppErrorCode code = OcppErrorCodes.FromWire(frame.ErrorCode);
        JsonElement details = JsonElement.Parse(detailsJson);
        if (ErrorReceived is { } errorReceived)
        {
            Raise(errorReceived, new OcppErrorEventArgs(OcppDirection.Inbound, OcppMessageType.CallError, frame.MessageId, pending.Action, code, frame.ErrorCode!, frame.ErrorDescription ?? string.Empty, Text(detailsJson)), nameof(ErrorReceived));
        }

        pending.SetError(OcppRpcException.Create(code, frame.ErrorCode, frame.ErrorDescription, details));
    }

    private void OnResultError(OcppFrame frame, ReadOnlySpan<byte> message)
    {
        Volatile.Write(ref _badMessages, 0);
        ReadOnlySpan<byte> detailsJson = frame.ErrorDetails.Equals(default(Range)) ? "{}"u8 : message[frame.ErrorDetails];
        if (ShouldWarnAboutPeer(LogLevel.Warning))
        {
            Log.ResultErrorReceived(_logger, Identity, frame.MessageId, frame.ErrorCode!, frame.ErrorDescription ?? string.Empty);
        }

        if (ErrorReceived is { } errorReceived)
        {
            OcppErrorCode code = OcppErrorCodes.FromWire(frame.ErrorCode);
            Raise(errorReceived, new OcppErrorEventArgs(OcppDirection.Inbound, OcppMessageType.CallResultError, frame.MessageId, null, code, frame.ErrorCode!, frame.ErrorDescription ?? string.Empty, Text(detailsJson)), nameof(ErrorReceived));
        }
    }

    private void ReportUnmatched(OcppMessageType type, string messageId, ReadOnlySpan<byte> payload)
    {
        if (ShouldWarnAboutPeer(LogLevel.Debug))
        {
            Log.UnmatchedResponse(_logger, Identity, type, messageId);
        }

        if (UnmatchedResponse is { } unmatched)
        {
            Raise(unmatched, new OcppUnmatchedResponseEventArgs(type, messageId, Text(payload)), nameof(UnmatchedResponse));
        }
    }

    // A message that is not a valid frame: report it, answer where OCPP-J says to, and count it.
    private async ValueTask OnFrameErrorAsync(OcppFrameError error, ReadOnlyMemory<byte> message)
    {
        int? type = error.MessageTypeNumber;
        string replyId = error.MessageId ?? "-1";
        bool isCallLike = type is null or (int)OcppMessageType.Call;
        (OcppMessageType ReplyType, OcppErrorCode Code)? reply = null;

        if (error.Kind == OcppFrameErrorKind.UnknownMessageType)
        {
            // 1.6 and 2.1 ignore unknown message types; 2.0.1 answers MessageTypeNotSupported (§4.4).
            if (Dialect == OcppDialect.Ocpp201)
            {
                reply = (OcppMessageType.CallError, OcppErrorCode.MessageTypeNotSupported);
            }
        }
        else if (isCallLike)
        {
            OcppErrorCode code = Dialect == OcppDialect.Ocpp16 || error.Kind == OcppFrameErrorKind.InvalidPayload
                ? OcppErrorCode.FormatViolation
                : OcppErrorCode.RpcFrameworkError;
            reply = (OcppMessageType.CallError, code);
        }
        else if (error.MessageId is { } id && type is (int)OcppMessageType.CallResult or (int)OcppMessageType.CallError)
        {
            // A malformed answer to one of our calls: fail that call now instead of letting it time out.
            if (Volatile.Read(ref _pending) is { } calls && calls.TryRemove(id, out PendingCall? pending))
            {
                pending.SetError(new OcppFormatViolationException($"The peer's response was malformed: {error.Description}"));
                if (type == (int)OcppMessageType.CallResult && Dialect == OcppDialect.Ocpp21)
                {
                    reply = (OcppMessageType.CallResultError, OcppErrorCode.FormatViolation);
                }
            }
        }

        // Answer first: reaching the bad-message limit closes the connection.
        if (reply is { } r)
        {
            await SendErrorAsync(r.ReplyType, replyId, null, r.Code, error.Description, null).ConfigureAwait(false);
        }

        ReportBadMessage(error, message.Span);
    }

    // Counts a bad message, reports it, and closes with 1002 after too many in a row.
    private void ReportBadMessage(OcppFrameError error, ReadOnlySpan<byte> message)
    {
        int count = Interlocked.Increment(ref _badMessages);
        if (Telemetry.BadMessages.Enabled)
        {
            Telemetry.BadMessages.Add(1, new KeyValuePair<string, object?>("ocpp.error_kind", error.Kind.ToString()));
        }

        int inMinute = Misbehaviour.CountBadMessage(Environment.TickCount64);
        if (ShouldWarnAboutPeer(LogLevel.Warning))
        {
            Log.BadMessage(_logger, Identity, error.Kind, error.Description, count);
        }

        if (BadMessage is { } badMessage)
        {
            string text = Text(message.Length > BadMessageEcho * 4 ? message[..(BadMessageEcho * 4)] : message);
            if (text.Length > BadMessageEcho)
            {
                text = text[..BadMessageEcho];
            }

            Raise(badMessage, new OcppBadMessageEventArgs(error, text, count), nameof(BadMessage));
        }

        bool inARow = Options.MaxBadMessages is { } max && count >= max;
        bool perMinute = Options.MaxBadMessagesPerMinute is { } maxPerMinute && inMinute >= maxPerMinute;
        if ((inARow || perMinute) && State == OcppConnectionState.Open)
        {
            if (inARow)
            {
                Log.TooManyBadMessages(_logger, Identity, count);
            }
            else
            {
                Log.BadMessageRateExceeded(_logger, Identity, inMinute);
            }

            _ = CloseAsync(new OcppCloseOptions { Code = OcppCloseCodes.ProtocolError, Reason = "Too many bad messages", AwaitPending = false });
        }
    }

    // A DataTransfer key (typed DataTransfer calls and answers) adds the check of the data against that key's schema.
    private OcppValidationFailure? Validate(OcppDirection direction, OcppPayloadKind kind, string messageId, string action, ReadOnlySpan<byte> payload, DataTransferKey? dataTransfer = null)
    {
        if (Options.Validator is not { } validator || Protocol is null)
        {
            return null;
        }

        OcppValidationFailure? failure;
        try
        {
            failure = validator.Validate(Protocol, action, kind, payload);
            if (failure is null && dataTransfer is { } key && validator is IOcppDataTransferValidator data)
            {
                failure = data.ValidateDataTransferResponse(Protocol, key.VendorId, key.MessageId, payload);
            }
        }
#pragma warning disable CA1031 // A throwing (custom) validator must not break the receive loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ValidatorFailed(_logger, ex, Identity, action);
            failure = new OcppValidationFailure(OcppErrorCode.InternalError, "The payload could not be validated.", [ex.GetType().Name]);
        }

        if (failure is not null)
        {
            if (ShouldWarnAboutPeer(LogLevel.Warning))
            {
                Log.ValidationFailed(_logger, Identity, direction, kind, action, messageId, failure.Description);
            }

            if (ValidationFailed is { } validationFailed)
            {
                Raise(validationFailed, new OcppValidationFailedEventArgs(direction, kind, messageId, action, failure), nameof(ValidationFailed));
            }
        }

        return failure;
    }

    /// <summary>
    /// Strict mode for the answer of a typed DataTransfer handler, which knows the key the connection does not: the
    /// generic schema and the key's response schema, reported like any outbound response that fails validation.
    /// </summary>
    internal OcppValidationFailure? ValidateDataTransferAnswer(string messageId, DataTransferKey key, ReadOnlySpan<byte> payload) =>
        Validate(OcppDirection.Outbound, OcppPayloadKind.Response, messageId, DataTransferWire.Action, payload, key);

    // Warnings about the peer's input are rate-limited per connection (MaxPeerWarningsPerMinute): a flood of bad input
    // costs the log one line per minute, with the count of what was held back.
    private bool ShouldWarnAboutPeer(LogLevel level)
    {
        if (!_logger.IsEnabled(level))
        {
            return false;
        }

        if (Options.MaxPeerWarningsPerMinute is not { } limit)
        {
            return true;
        }

        bool allowed = Misbehaviour.TryLog(Environment.TickCount64, limit, out int suppressed);
        if (suppressed > 0)
        {
            Log.PeerWarningsSuppressed(_logger, Identity, suppressed);
        }

        return allowed;
    }

    private void ReportSuppressedWarnings()
    {
        if (Volatile.Read(ref _misbehaviour) is { } misbehaviour && Options.MaxPeerWarningsPerMinute is { } limit && misbehaviour.Suppressed(limit) is > 0 and int suppressed)
        {
            Log.PeerWarningsSuppressed(_logger, Identity, suppressed);
        }
    }
}

using Microsoft.Extensions.Logging;

namespace Ocpp.Rpc.Internal;

/// <summary>Every log event of the core, source-generated. Event ids and names are public API: never reuse them.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, EventName = "BadMessage", Level = LogLevel.Warning, Message = "[{Identity}] Bad message ({Kind}): {Description}. {Count} in a row.")]
    public static partial void BadMessage(ILogger logger, OcppLogText identity, Framing.OcppFrameErrorKind kind, OcppLogText description, int count);

    [LoggerMessage(EventId = 1002, EventName = "TooManyBadMessages", Level = LogLevel.Warning, Message = "[{Identity}] Closing after {Count} bad messages in a row.")]
    public static partial void TooManyBadMessages(ILogger logger, OcppLogText identity, int count);

    [LoggerMessage(EventId = 1003, EventName = "HandlerFailed", Level = LogLevel.Error, Message = "[{Identity}] Handler for {Action} (id {MessageId}) threw; answered InternalError.")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, OcppLogText identity, OcppLogText action, OcppLogText messageId);

    [LoggerMessage(EventId = 1004, EventName = "CallTimedOut", Level = LogLevel.Warning, Message = "[{Identity}] {Action} call (id {MessageId}) timed out.")]
    public static partial void CallTimedOut(ILogger logger, OcppLogText identity, OcppLogText action, OcppLogText messageId);

    [LoggerMessage(EventId = 1005, EventName = "UnmatchedResponse", Level = LogLevel.Debug, Message = "[{Identity}] {Type} for unknown or expired id {MessageId} ignored.")]
    public static partial void UnmatchedResponse(ILogger logger, OcppLogText identity, OcppMessageType type, OcppLogText messageId);

    [LoggerMessage(EventId = 1006, EventName = "ValidationFailed", Level = LogLevel.Warning, Message = "[{Identity}] {Direction} {Kind} of {Action} (id {MessageId}) failed validation: {Description}")]
    public static partial void ValidationFailed(ILogger logger, OcppLogText identity, OcppDirection direction, Validation.OcppPayloadKind kind, OcppLogText action, OcppLogText messageId, OcppLogText description);

    [LoggerMessage(EventId = 1007, EventName = "EventHandlerFailed", Level = LogLevel.Error, Message = "[{Identity}] A {Event} event subscriber threw.")]
    public static partial void EventHandlerFailed(ILogger logger, Exception exception, OcppLogText identity, string @event);

    [LoggerMessage(EventId = 1008, EventName = "TransportFailed", Level = LogLevel.Information, Message = "[{Identity}] The link dropped: {Reason}")]
    public static partial void TransportFailed(ILogger logger, OcppLogText identity, OcppLogText reason);

    [LoggerMessage(EventId = 1009, EventName = "Closed", Level = LogLevel.Information, Message = "[{Identity}] Closed with {Code} ({Reason}), by peer: {ByPeer}.")]
    public static partial void Closed(ILogger logger, OcppLogText identity, int code, OcppLogText reason, bool byPeer);

    [LoggerMessage(EventId = 1010, EventName = "ResultErrorReceived", Level = LogLevel.Warning, Message = "[{Identity}] The peer could not process our CALLRESULT for id {MessageId}: {Code} {Description}")]
    public static partial void ResultErrorReceived(ILogger logger, OcppLogText identity, OcppLogText messageId, OcppLogText code, OcppLogText description);

    [LoggerMessage(EventId = 1011, EventName = "SendHandlerFailed", Level = LogLevel.Error, Message = "[{Identity}] Handler for SEND {Action} (id {MessageId}) threw; SEND is never answered.")]
    public static partial void SendHandlerFailed(ILogger logger, Exception exception, OcppLogText identity, OcppLogText action, OcppLogText messageId);

    [LoggerMessage(EventId = 1012, EventName = "MessageTooLarge", Level = LogLevel.Warning, Message = "[{Identity}] A message exceeded {Limit} bytes; closing with 1009.")]
    public static partial void MessageTooLarge(ILogger logger, OcppLogText identity, int limit);

    [LoggerMessage(EventId = 1013, EventName = "ValidatorFailed", Level = LogLevel.Error, Message = "[{Identity}] The payload validator threw for {Action}; treated as InternalError.")]
    public static partial void ValidatorFailed(ILogger logger, Exception exception, OcppLogText identity, OcppLogText action);

    [LoggerMessage(EventId = 1014, EventName = "ClusterSubscriberFailed", Level = LogLevel.Error, Message = "A subscriber of {Channel} threw.")]
    public static partial void SubscriberFailed(ILogger logger, Exception exception, string channel);

    [LoggerMessage(EventId = 1016, EventName = "PeerWarningsSuppressed", Level = LogLevel.Warning, Message = "[{Identity}] {Count} more warnings about this peer's input in the last minute were not logged.")]
    public static partial void PeerWarningsSuppressed(ILogger logger, OcppLogText identity, int count);

    [LoggerMessage(EventId = 1017, EventName = "BadMessageRateExceeded", Level = LogLevel.Warning, Message = "[{Identity}] Closing after {Count} bad messages within a minute.")]
    public static partial void BadMessageRateExceeded(ILogger logger, OcppLogText identity, int count);

    [LoggerMessage(EventId = 1018, EventName = "SendTimedOut", Level = LogLevel.Warning, Message = "[{Identity}] A send did not complete within {Seconds} s: the peer stopped reading; dropping the link.")]
    public static partial void SendTimedOut(ILogger logger, OcppLogText identity, double seconds);

    [LoggerMessage(EventId = 1019, EventName = "SendQueueFull", Level = LogLevel.Warning, Message = "[{Identity}] {Waiting} bytes already wait to be sent (limit {Limit}): the peer is not reading; dropping the link.")]
    public static partial void SendQueueFull(ILogger logger, OcppLogText identity, long waiting, int limit);

    [LoggerMessage(EventId = 1020, EventName = "TransportClosed", Level = LogLevel.Warning, Message = "[{Identity}] Closed by the transport with {Code}: {Reason}.")]
    public static partial void TransportClosed(ILogger logger, OcppLogText identity, int code, string reason);

    [LoggerMessage(EventId = 1015, EventName = "ClusterBroadcastCallFailed", Level = LogLevel.Warning, Message = "Broadcast {Action} to {Identity} failed.")]
    public static partial void BroadcastCallFailed(ILogger logger, Exception exception, OcppLogText action, OcppLogText identity);

    [LoggerMessage(EventId = 1021, EventName = "DuplicateCallStoreFailed", Level = LogLevel.Warning, Message = "[{Identity}] The shared duplicate-call store could not {Operation} for {Action} {MessageId}; this node's memory applies.")]
    public static partial void DuplicateCallStoreFailed(ILogger logger, Exception exception, OcppLogText identity, OcppLogText action, OcppLogText messageId, string operation);
}

using Microsoft.Extensions.Logging;

namespace Ocpp.Rpc.Internal;

/// <summary>Every log event of the core, source-generated. Event ids and names are public API: never reuse them.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, EventName = "BadMessage", Level = LogLevel.Warning, Message = "[{Identity}] Bad message ({Kind}): {Description}. {Count} in a row.")]
    public static partial void BadMessage(ILogger logger, string? identity, Framing.OcppFrameErrorKind kind, string description, int count);

    [LoggerMessage(EventId = 1002, EventName = "TooManyBadMessages", Level = LogLevel.Warning, Message = "[{Identity}] Closing after {Count} bad messages in a row.")]
    public static partial void TooManyBadMessages(ILogger logger, string? identity, int count);

    [LoggerMessage(EventId = 1003, EventName = "HandlerFailed", Level = LogLevel.Error, Message = "[{Identity}] Handler for {Action} (id {MessageId}) threw; answered InternalError.")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string? identity, string action, string messageId);

    [LoggerMessage(EventId = 1004, EventName = "CallTimedOut", Level = LogLevel.Warning, Message = "[{Identity}] {Action} call (id {MessageId}) timed out.")]
    public static partial void CallTimedOut(ILogger logger, string? identity, string action, string messageId);

    [LoggerMessage(EventId = 1005, EventName = "UnmatchedResponse", Level = LogLevel.Debug, Message = "[{Identity}] {Type} for unknown or expired id {MessageId} ignored.")]
    public static partial void UnmatchedResponse(ILogger logger, string? identity, OcppMessageType type, string messageId);

    [LoggerMessage(EventId = 1006, EventName = "ValidationFailed", Level = LogLevel.Warning, Message = "[{Identity}] {Direction} {Kind} of {Action} (id {MessageId}) failed validation: {Description}")]
    public static partial void ValidationFailed(ILogger logger, string? identity, OcppDirection direction, Validation.OcppPayloadKind kind, string action, string messageId, string description);

    [LoggerMessage(EventId = 1007, EventName = "EventHandlerFailed", Level = LogLevel.Error, Message = "[{Identity}] A {Event} event subscriber threw.")]
    public static partial void EventHandlerFailed(ILogger logger, Exception exception, string? identity, string @event);

    [LoggerMessage(EventId = 1008, EventName = "TransportFailed", Level = LogLevel.Information, Message = "[{Identity}] The link dropped: {Reason}")]
    public static partial void TransportFailed(ILogger logger, string? identity, string reason);

    [LoggerMessage(EventId = 1009, EventName = "Closed", Level = LogLevel.Information, Message = "[{Identity}] Closed with {Code} ({Reason}), by peer: {ByPeer}.")]
    public static partial void Closed(ILogger logger, string? identity, int code, string? reason, bool byPeer);

    [LoggerMessage(EventId = 1010, EventName = "ResultErrorReceived", Level = LogLevel.Warning, Message = "[{Identity}] The peer could not process our CALLRESULT for id {MessageId}: {Code} {Description}")]
    public static partial void ResultErrorReceived(ILogger logger, string? identity, string messageId, string code, string description);

    [LoggerMessage(EventId = 1011, EventName = "SendHandlerFailed", Level = LogLevel.Error, Message = "[{Identity}] Handler for SEND {Action} (id {MessageId}) threw; SEND is never answered.")]
    public static partial void SendHandlerFailed(ILogger logger, Exception exception, string? identity, string action, string messageId);

    [LoggerMessage(EventId = 1012, EventName = "MessageTooLarge", Level = LogLevel.Warning, Message = "[{Identity}] A message exceeded {Limit} bytes; closing with 1009.")]
    public static partial void MessageTooLarge(ILogger logger, string? identity, int limit);

    [LoggerMessage(EventId = 1013, EventName = "ValidatorFailed", Level = LogLevel.Error, Message = "[{Identity}] The payload validator threw for {Action}; treated as InternalError.")]
    public static partial void ValidatorFailed(ILogger logger, Exception exception, string? identity, string action);

    [LoggerMessage(EventId = 1014, EventName = "ClusterSubscriberFailed", Level = LogLevel.Error, Message = "A subscriber of {Channel} threw.")]
    public static partial void SubscriberFailed(ILogger logger, Exception exception, string channel);

    [LoggerMessage(EventId = 1015, EventName = "ClusterBroadcastCallFailed", Level = LogLevel.Warning, Message = "Broadcast {Action} to {Identity} failed.")]
    public static partial void BroadcastCallFailed(ILogger logger, Exception exception, string action, string? identity);
}

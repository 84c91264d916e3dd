using Microsoft.Extensions.Logging;

namespace Ocpp.Rpc.Client;

/// <summary>The client's log events, source-generated. Event ids (1101-1199) and names are public API: never reuse them.</summary>
internal static partial class ClientLog
{
    [LoggerMessage(EventId = 1101, EventName = "ClientConnected", Level = LogLevel.Information, Message = "[{Identity}] Connected to {Uri} with {Protocol} (reconnect: {IsReconnect}).")]
    public static partial void Connected(ILogger logger, string identity, Uri uri, string protocol, bool isReconnect);

    [LoggerMessage(EventId = 1102, EventName = "ClientDisconnected", Level = LogLevel.Information, Message = "[{Identity}] Disconnected with {Code} ({Reason}); reconnecting: {WillReconnect}.")]
    public static partial void Disconnected(ILogger logger, string identity, int code, string? reason, bool willReconnect);

    [LoggerMessage(EventId = 1103, EventName = "ClientReconnecting", Level = LogLevel.Information, Message = "[{Identity}] Reconnection attempt {Attempt} in {DelayMs} ms.")]
    public static partial void Reconnecting(ILogger logger, string identity, int attempt, double delayMs);

    [LoggerMessage(EventId = 1104, EventName = "ClientConnectFailed", Level = LogLevel.Warning, Message = "[{Identity}] Connection attempt failed ({Failure}): {Reason}")]
    public static partial void ConnectFailed(ILogger logger, string identity, OcppConnectFailure failure, string reason);

    [LoggerMessage(EventId = 1105, EventName = "ClientGaveUp", Level = LogLevel.Warning, Message = "[{Identity}] Gave up reconnecting after {Attempts} attempts.")]
    public static partial void GaveUp(ILogger logger, string identity, int attempts);

    [LoggerMessage(EventId = 1106, EventName = "ClientEventHandlerFailed", Level = LogLevel.Error, Message = "[{Identity}] A {Event} event subscriber threw.")]
    public static partial void EventHandlerFailed(ILogger logger, Exception exception, string identity, string @event);

    [LoggerMessage(EventId = 1107, EventName = "ClientMessagesLoaded", Level = LogLevel.Information, Message = "[{Identity}] Message queue loaded: {Count} messages pending ({ElapsedMs} ms).")]
    public static partial void MessagesLoaded(ILogger logger, string identity, int count, double elapsedMs);

    [LoggerMessage(EventId = 1108, EventName = "ClientMessageRetrying", Level = LogLevel.Warning, Message = "[{Identity}] {Action} {MessageId} failed attempt {Attempt} ({Error}); retrying in {DelayMs} ms.")]
    public static partial void MessageRetrying(ILogger logger, string identity, string action, string messageId, int attempt, double delayMs, string error);

    [LoggerMessage(EventId = 1109, EventName = "ClientMessageDropped", Level = LogLevel.Error, Message = "[{Identity}] {Action} {MessageId} dropped after {Attempts} attempts: {Error} {Description}")]
    public static partial void MessageDropped(ILogger logger, string identity, string action, string messageId, int attempts, string error, string description);

    [LoggerMessage(EventId = 1110, EventName = "ClientMessageStoreFailed", Level = LogLevel.Error, Message = "[{Identity}] The message store failed to record {Action} {MessageId}.")]
    public static partial void MessageStoreFailed(ILogger logger, Exception exception, string identity, string action, string messageId);

    [LoggerMessage(EventId = 1111, EventName = "ClientEndpointChanged", Level = LogLevel.Warning, Message = "[{Identity}] Moving to endpoint {Index}: {Uri}.")]
    public static partial void EndpointChanged(ILogger logger, string identity, int index, Uri uri);
}

using Microsoft.Extensions.Logging;

namespace Ocpp.Rpc.AspNetCore.Internal;

/// <summary>Every log event of the server, source-generated. Event ids and names are public API: never reuse them.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 2001, EventName = "HandshakeRejected", Level = LogLevel.Information, Message = "[{Identity}] Handshake refused with {StatusCode}: {Reason}")]
    public static partial void HandshakeRejected(ILogger logger, OcppLogText identity, int statusCode, OcppLogText reason);

    [LoggerMessage(EventId = 2002, EventName = "StationConnected", Level = LogLevel.Information, Message = "[{Identity}] Connected with {Protocol} from {Remote}.")]
    public static partial void StationConnected(ILogger logger, OcppLogText identity, string? protocol, string? remote);

    [LoggerMessage(EventId = 2003, EventName = "StationDisconnected", Level = LogLevel.Information, Message = "[{Identity}] Disconnected with {Code} ({Reason}).")]
    public static partial void StationDisconnected(ILogger logger, OcppLogText identity, int code, OcppLogText reason);

    [LoggerMessage(EventId = 2004, EventName = "DuplicateReplaced", Level = LogLevel.Warning, Message = "[{Identity}] Connected again; the previous connection is closed.")]
    public static partial void DuplicateReplaced(ILogger logger, OcppLogText identity);

    [LoggerMessage(EventId = 2005, EventName = "AuthenticateFailed", Level = LogLevel.Error, Message = "[{Identity}] The Authenticate callback threw; answered 500.")]
    public static partial void AuthenticateFailed(ILogger logger, Exception exception, OcppLogText identity);

    [LoggerMessage(EventId = 2006, EventName = "EventHandlerFailed", Level = LogLevel.Error, Message = "A {Event} subscriber threw.")]
    public static partial void EventHandlerFailed(ILogger logger, Exception exception, string @event);

    [LoggerMessage(EventId = 2007, EventName = "Listening", Level = LogLevel.Information, Message = "OCPP server listening on {Addresses}.")]
    public static partial void Listening(ILogger logger, string addresses);

    [LoggerMessage(EventId = 2008, EventName = "ClusterFailed", Level = LogLevel.Warning, Message = "[{Identity}] Could not {Operation} the station in the cluster; it stays connected locally.")]
    public static partial void ClusterFailed(ILogger logger, Exception exception, OcppLogText identity, string operation);

    [LoggerMessage(EventId = 2009, EventName = "InlineCompletions", Level = LogLevel.Warning, Message = "PreferInlineScheduling with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 runs handlers on the socket event thread: a handler that blocks holds up other stations.")]
    public static partial void InlineCompletions(ILogger logger);
}

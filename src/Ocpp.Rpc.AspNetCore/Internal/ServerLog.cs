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

    [LoggerMessage(EventId = 2010, EventName = "BootStatusChanged", Level = LogLevel.Information, Message = "[{Identity}] BootNotification answered {Status}.")]
    public static partial void BootStatusChanged(ILogger logger, OcppLogText identity, OcppBootStatus status);

    [LoggerMessage(EventId = 2011, EventName = "BootStatusStoreFailed", Level = LogLevel.Warning, Message = "[{Identity}] Could not {Operation} the boot status in the store; a station whose status cannot be read is gated until it boots again.")]
    public static partial void BootStatusStoreFailed(ILogger logger, Exception exception, OcppLogText identity, string operation);

    [LoggerMessage(EventId = 2012, EventName = "CallGated", Level = LogLevel.Debug, Message = "[{Identity}] {Action} refused by the boot gate (station {Status}).")]
    public static partial void CallGated(ILogger logger, OcppLogText identity, OcppLogText action, string status);

    [LoggerMessage(EventId = 2013, EventName = "CallRateLimited", Level = LogLevel.Debug, Message = "[{Identity}] {Action} is over the call rate limit and {Outcome}.")]
    public static partial void CallRateLimited(ILogger logger, OcppLogText identity, OcppLogText action, string outcome);

    [LoggerMessage(EventId = 2014, EventName = "MessageLogFileFailed", Level = LogLevel.Error, Message = "The OCPP message log could not write {Path}; the file is given up (the logger category goes on).")]
    public static partial void MessageLogFileFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 2015, EventName = "OcppMessage", Message = "[{Identity}] {Protocol} {Direction} {Message}")]
    public static partial void OcppMessage(ILogger logger, LogLevel level, OcppLogText identity, string? protocol, string direction, OcppLogText message);
}

using Microsoft.Extensions.Logging;

namespace Ocpp.Rpc.Redis.Internal;

/// <summary>Every log event of Ocpp.Rpc.Redis, source-generated. Event ids and names are public API: never reuse them.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, EventName = "NodeStarted", Level = LogLevel.Information, Message = "[{NodeId}] Joined the Redis cluster (prefix {Prefix}, Redis connected: {Connected}).")]
    public static partial void NodeStarted(ILogger logger, string nodeId, string prefix, bool connected);

    [LoggerMessage(EventId = 3002, EventName = "RedisConnectionFailed", Level = LogLevel.Warning, Message = "[{NodeId}] Redis {ConnectionType} connection to {EndPoint} failed ({FailureType}); local stations keep working.")]
    public static partial void RedisConnectionFailed(ILogger logger, Exception? exception, string nodeId, string connectionType, string? endPoint, string failureType);

    [LoggerMessage(EventId = 3003, EventName = "RedisConnectionRestored", Level = LogLevel.Information, Message = "[{NodeId}] Redis {ConnectionType} connection to {EndPoint} restored; re-announcing local stations.")]
    public static partial void RedisConnectionRestored(ILogger logger, string nodeId, string connectionType, string? endPoint);

    [LoggerMessage(EventId = 3004, EventName = "AnnounceFailed", Level = LogLevel.Warning, Message = "[{NodeId}] Could not announce {Identity}; it stays callable here and is announced when Redis answers.")]
    public static partial void AnnounceFailed(ILogger logger, Exception exception, string nodeId, string identity);

    [LoggerMessage(EventId = 3005, EventName = "RefreshFailed", Level = LogLevel.Warning, Message = "[{NodeId}] Heartbeat or presence refresh failed; retrying.")]
    public static partial void RefreshFailed(ILogger logger, Exception exception, string nodeId);

    [LoggerMessage(EventId = 3006, EventName = "UnannounceFailed", Level = LogLevel.Debug, Message = "[{NodeId}] Could not remove the presence of {Identity}; it expires with its TTL.")]
    public static partial void UnannounceFailed(ILogger logger, Exception exception, string nodeId, string identity);

    [LoggerMessage(EventId = 3007, EventName = "Evicting", Level = LogLevel.Information, Message = "[{NodeId}] {Identity} connected again on node {OtherNode}; closing the local connection.")]
    public static partial void Evicting(ILogger logger, string nodeId, string identity, string otherNode);

    [LoggerMessage(EventId = 3008, EventName = "BadClusterMessage", Level = LogLevel.Warning, Message = "[{NodeId}] Ignored an unreadable message on {Channel}.")]
    public static partial void BadClusterMessage(ILogger logger, Exception? exception, string nodeId, string channel);

    [LoggerMessage(EventId = 3009, EventName = "ReplyFailed", Level = LogLevel.Warning, Message = "[{NodeId}] Could not send the reply of a routed {Action} call to node {CallerNode}.")]
    public static partial void ReplyFailed(ILogger logger, Exception exception, string nodeId, string action, string callerNode);

    [LoggerMessage(EventId = 3010, EventName = "UnmatchedReply", Level = LogLevel.Debug, Message = "[{NodeId}] Reply {CorrelationId} arrived after its call ended; ignored.")]
    public static partial void UnmatchedReply(ILogger logger, string nodeId, string correlationId);

    [LoggerMessage(EventId = 3011, EventName = "SubscriberFailed", Level = LogLevel.Error, Message = "[{NodeId}] A subscriber of {Channel} threw.")]
    public static partial void SubscriberFailed(ILogger logger, Exception exception, string nodeId, string channel);

    [LoggerMessage(EventId = 3012, EventName = "BroadcastCallFailed", Level = LogLevel.Warning, Message = "[{NodeId}] Broadcast {Action} to {Identity} failed.")]
    public static partial void BroadcastCallFailed(ILogger logger, Exception exception, string nodeId, string action, string? identity);

    [LoggerMessage(EventId = 3013, EventName = "SubscribeFailed", Level = LogLevel.Warning, Message = "[{NodeId}] Could not subscribe to the node's channels; retrying with the heartbeat.")]
    public static partial void SubscribeFailed(ILogger logger, Exception exception, string nodeId);

    [LoggerMessage(EventId = 3014, EventName = "EvictionFailed", Level = LogLevel.Warning, Message = "[{NodeId}] Could not ask node {OtherNode} to close its connection of {Identity}; it closes it at its next refresh.")]
    public static partial void EvictionFailed(ILogger logger, Exception exception, string nodeId, string otherNode, string identity);

    [LoggerMessage(EventId = 3015, EventName = "NodeStopped", Level = LogLevel.Information, Message = "[{NodeId}] Left the Redis cluster.")]
    public static partial void NodeStopped(ILogger logger, string nodeId);

    [LoggerMessage(EventId = 3016, EventName = "NodeUnreachable", Level = LogLevel.Debug, Message = "[{NodeId}] Node {OtherNode} holding {Identity} does not listen; the station counts as not connected.")]
    public static partial void NodeUnreachable(ILogger logger, string nodeId, string otherNode, string identity);

    [LoggerMessage(EventId = 3017, EventName = "EventDropped", Level = LogLevel.Warning, Message = "[{NodeId}] A subscriber of {Channel} fell {Capacity} events behind; an event was dropped.")]
    public static partial void EventDropped(ILogger logger, string nodeId, string channel, int capacity);

    [LoggerMessage(EventId = 3018, EventName = "PubSubModeChosen", Level = LogLevel.Information, Message = "[{NodeId}] Using {Mode} pub/sub (Redis Cluster: {IsCluster}).")]
    public static partial void PubSubModeChosen(ILogger logger, string nodeId, string mode, bool isCluster);

    [LoggerMessage(EventId = 3019, EventName = "RedisTopologyChanged", Level = LogLevel.Information, Message = "[{NodeId}] Redis topology changed at {EndPoint}; refreshing presence now.")]
    public static partial void RedisTopologyChanged(ILogger logger, string nodeId, string? endPoint);

    [LoggerMessage(EventId = 3020, EventName = "TopologyReloaded", Level = LogLevel.Debug, Message = "[{NodeId}] Reloaded the Redis Cluster topology after a failed command.")]
    public static partial void TopologyReloaded(ILogger logger, string nodeId);

    [LoggerMessage(EventId = 3021, EventName = "LinksListening", Level = LogLevel.Information, Message = "[{NodeId}] Accepting node links on {EndPoint}, advertised as {Address}.")]
    public static partial void LinksListening(ILogger logger, string nodeId, string endPoint, string address);

    [LoggerMessage(EventId = 3022, EventName = "LinkConnected", Level = LogLevel.Information, Message = "[{NodeId}] Linked to node {Peer} at {Address}; routed calls to it skip Redis.")]
    public static partial void LinkConnected(ILogger logger, string nodeId, string peer, string address);

    [LoggerMessage(EventId = 3023, EventName = "LinkFailed", Level = LogLevel.Warning, Message = "[{NodeId}] Could not link to node {Peer}; routed calls to it go through Redis until a later attempt succeeds.")]
    public static partial void LinkFailed(ILogger logger, Exception exception, string nodeId, string peer);

    [LoggerMessage(EventId = 3024, EventName = "LinkClosed", Level = LogLevel.Information, Message = "[{NodeId}] The link with node {Peer} closed.")]
    public static partial void LinkClosed(ILogger logger, Exception? exception, string nodeId, string peer);

    [LoggerMessage(EventId = 3025, EventName = "LinkAccepted", Level = LogLevel.Debug, Message = "[{NodeId}] Node {Peer} linked from {Remote}.")]
    public static partial void LinkAccepted(ILogger logger, string nodeId, string peer, string? remote);

    [LoggerMessage(EventId = 3026, EventName = "LinkRefused", Level = LogLevel.Warning, Message = "[{NodeId}] Refused a node link from {Remote}: {Reason}.")]
    public static partial void LinkRefused(ILogger logger, string nodeId, string? remote, string reason);

    [LoggerMessage(EventId = 3027, EventName = "LinkAcceptFailed", Level = LogLevel.Warning, Message = "[{NodeId}] Accepting a node link failed; still listening.")]
    public static partial void LinkAcceptFailed(ILogger logger, Exception exception, string nodeId);

    [LoggerMessage(EventId = 3028, EventName = "PeerWithoutLinks", Level = LogLevel.Debug, Message = "[{NodeId}] Node {Peer} advertises no link; routed calls to it go through Redis.")]
    public static partial void PeerWithoutLinks(ILogger logger, string nodeId, string peer);

    [LoggerMessage(EventId = 3029, EventName = "LinkReplyDropped", Level = LogLevel.Debug, Message = "[{NodeId}] The link to node {CallerNode} closed before the reply of its routed {Action} call; the caller was told already.")]
    public static partial void LinkReplyDropped(ILogger logger, string nodeId, string action, string callerNode);
}

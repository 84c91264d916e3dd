using System.Threading.Channels;
using Ocpp.Rpc.Transport;
using StackExchange.Redis;

namespace Ocpp.Rpc.Redis;

/// <summary>
/// Settings of <see cref="RedisOcppCluster"/>. Immutable: start from <see cref="Default"/> and change it with
/// <c>with</c>, e.g. <c>RedisClusterOptions.Default with { Configuration = "localhost:6379" }</c>.
/// </summary>
public sealed record RedisClusterOptions
{
    /// <summary>The defaults: prefix <c>ocpp:</c>, 15 s presence TTL, 6 s node heartbeat TTL, 30 s call timeout.</summary>
    public static RedisClusterOptions Default { get; } = new();

    /// <summary>
    /// A StackExchange.Redis configuration string, e.g. <c>localhost:6379,password=...</c>. Ignored when
    /// <see cref="ConfigurationOptions"/> or <see cref="ConnectionMultiplexer"/> is set.
    /// </summary>
    public string? Configuration { get; init; }

    /// <summary>
    /// Full StackExchange.Redis settings (e.g. a reconnect policy). The cluster connects with a copy in which
    /// <c>AbortOnConnectFail</c> is false (a node starts while Redis is down) and the backlog policy is
    /// <c>FailFast</c> (commands fail at once while Redis is unreachable instead of queueing).
    /// </summary>
    public ConfigurationOptions? ConfigurationOptions { get; init; }

    /// <summary>
    /// An existing connection to use instead of creating one. The cluster does not dispose it; configure it with
    /// <c>AbortOnConnectFail=false</c> and the <c>FailFast</c> backlog policy for the behaviour described here.
    /// </summary>
    public IConnectionMultiplexer? ConnectionMultiplexer { get; init; }

    /// <summary>
    /// Whether node channels, broadcasts and events go over sharded pub/sub (<c>SSUBSCRIBE</c>/<c>SPUBLISH</c>, each
    /// channel on the shard that owns its slot) instead of classic pub/sub (which a Redis Cluster copies to every
    /// shard). Default <see langword="null"/>: detected when the node first reaches Redis, sharded on a Redis Cluster
    /// whose servers are 7.0 or later, classic on older clusters, standalone servers and Sentinel. Set it when the
    /// servers hide their version (some managed services disable <c>INFO</c>) or while a cluster is upgraded from 6
    /// to 7 (every node must use the same mode: a sharded publish does not reach a classic subscriber).
    /// </summary>
    public bool? ShardedPubSub { get; init; }

    /// <summary>The prefix of every key and channel the cluster uses. Default <c>ocpp:</c>.</summary>
    public string Prefix { get; init; } = "ocpp:";

    /// <summary>This node's id, unique in the cluster. Default: machine name, process id and a random suffix.</summary>
    public string? NodeId { get; init; }

    /// <summary>How long a station's presence outlives its node's last refresh. Default 15 s.</summary>
    public TimeSpan PresenceTtl { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the presence of all local stations is refreshed, in one pipelined batch. Default 5 s.</summary>
    public TimeSpan PresenceRefreshInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the node's heartbeat key outlives its last refresh. Callers treat stations of a node without a
    /// heartbeat as not connected, so a dead node's stations disappear after this rather than after
    /// <see cref="PresenceTtl"/>. Default 6 s.
    /// </summary>
    public TimeSpan NodeHeartbeatTtl { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>How often the heartbeat is refreshed (also how often lost subscriptions are retried). Default 2 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The timeout of a routed call whose <see cref="OcppCallOptions.Timeout"/> is not set. Default 30 s.</summary>
    public TimeSpan DefaultCallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a single Redis operation (lookup, publish, subscribe) may take before it fails. Default 5 s.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The WebSocket close code sent to a connection evicted by a reconnect on another node. Default 1008.</summary>
    public int EvictionCloseCode { get; init; } = OcppCloseCodes.PolicyViolation;

    /// <summary>The close reason sent to an evicted connection.</summary>
    public string EvictionCloseReason { get; init; } = "Connected again on another server node";

    /// <summary>
    /// How many received events one <see cref="RedisOcppCluster.SubscribeAsync"/> subscription buffers while its
    /// handler is busy. Default 1024.
    /// </summary>
    public int SubscriberCapacity { get; init; } = 1024;

    /// <summary>
    /// What a full subscription buffer does with the next event: <see cref="BoundedChannelFullMode.DropOldest"/>
    /// (default), <see cref="BoundedChannelFullMode.DropNewest"/> or <see cref="BoundedChannelFullMode.DropWrite"/>.
    /// Dropped events are logged. <see cref="BoundedChannelFullMode.Wait"/> is refused: one slow handler would stall
    /// every subscription of the node.
    /// </summary>
    public BoundedChannelFullMode SubscriberFullMode { get; init; } = BoundedChannelFullMode.DropOldest;

    /// <summary>
    /// Direct TCP links between nodes that carry routed calls and their replies instead of Redis pub/sub (about half
    /// the latency and more calls per second; see <see cref="RedisNodeLinkOptions"/>). Default <see langword="null"/>:
    /// every routed call goes through Redis. Nodes with and without links work together: a call uses a link only when
    /// both ends have one.
    /// </summary>
    public RedisNodeLinkOptions? NodeLinks { get; init; }

    internal void Validate()
    {
        if (SubscriberCapacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SubscriberCapacity), SubscriberCapacity, "Must be at least 1.");
        }

        if (SubscriberFullMode == BoundedChannelFullMode.Wait || !Enum.IsDefined(SubscriberFullMode))
        {
            throw new ArgumentException("SubscriberFullMode must be DropOldest, DropNewest or DropWrite.");
        }

        ArgumentException.ThrowIfNullOrEmpty(Prefix);
        if (ConnectionMultiplexer is null && ConfigurationOptions is null && string.IsNullOrWhiteSpace(Configuration))
        {
            throw new ArgumentException("Set RedisClusterOptions.Configuration, ConfigurationOptions or ConnectionMultiplexer.");
        }

        if (NodeId is { Length: 0 })
        {
            throw new ArgumentException("RedisClusterOptions.NodeId must not be empty.");
        }

        NodeLinks?.Validate();
        RequirePositive(PresenceTtl, nameof(PresenceTtl));
        RequirePositive(PresenceRefreshInterval, nameof(PresenceRefreshInterval));
        RequirePositive(NodeHeartbeatTtl, nameof(NodeHeartbeatTtl));
        RequirePositive(HeartbeatInterval, nameof(HeartbeatInterval));
        RequirePositive(DefaultCallTimeout, nameof(DefaultCallTimeout));
        RequirePositive(OperationTimeout, nameof(OperationTimeout));
        if (PresenceRefreshInterval >= PresenceTtl)
        {
            throw new ArgumentException("PresenceRefreshInterval must be shorter than PresenceTtl (a third of it is a good choice).");
        }

        if (HeartbeatInterval >= NodeHeartbeatTtl)
        {
            throw new ArgumentException("HeartbeatInterval must be shorter than NodeHeartbeatTtl (a third of it is a good choice).");
        }
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be positive.");
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Ocpp.Rpc.Redis.Internal;
using StackExchange.Redis;

namespace Ocpp.Rpc.Redis;

// What kind of Redis this node talks to (standalone / Sentinel or Redis Cluster, and which pub/sub), the node's channels
// in that mode, and which other nodes are alive (their heartbeat's expiry, remembered so a lookup is one GET).
public sealed partial class RedisOcppCluster
{
    private const int PubSubUndecided = 0, PubSubClassic = 1, PubSubSharded = 2;

    private readonly ConcurrentDictionary<string, long> _nodeAliveUntil = new(StringComparer.Ordinal);
    private volatile NodeChannels? _channels;
    private int _pubSubMode;
    private int _topologyReloadWanted;
    private int _subscribeAttempts;

    /// <summary>
    /// Whether this node uses sharded pub/sub (<c>SSUBSCRIBE</c>/<c>SPUBLISH</c>); decided once, when the node first
    /// reaches Redis (see <see cref="RedisClusterOptions.ShardedPubSub"/>). False until then.
    /// </summary>
    internal bool UsesShardedPubSub => Volatile.Read(ref _pubSubMode) == PubSubSharded;

    /// <summary>How often this node (re)subscribed to its channels (for tests: a healthy node subscribes once).</summary>
    internal int SubscribeAttempts => Volatile.Read(ref _subscribeAttempts);

    /// <summary>Whether the connection is to a Redis Cluster (as opposed to a standalone server or a Sentinel-managed primary).</summary>
    private static bool IsRedisCluster(IConnectionMultiplexer redis)
    {
        foreach (IServer server in redis.GetServers())
        {
            if (server.IsConnected)
            {
                return server.ServerType == ServerType.Cluster;
            }
        }

        return false;
    }

    /// <summary>
    /// Decides the pub/sub mode the first time Redis is connected: the explicit option, else sharded on a Redis Cluster
    /// whose servers have it (7.0 or later), else classic. Never changes afterwards: nodes meet on the channels of one
    /// mode, and they all decide the same from the same servers.
    /// </summary>
    private void DecidePubSubMode(IConnectionMultiplexer redis)
    {
        if (Volatile.Read(ref _pubSubMode) != PubSubUndecided || (_options.ShardedPubSub is null && !redis.IsConnected))
        {
            return;
        }

        bool sharded = _options.ShardedPubSub ?? (IsRedisCluster(redis) && redis.GetServers().Where(s => s.IsConnected).All(s => s.Features.ShardedPubSub));
        if (Interlocked.CompareExchange(ref _pubSubMode, sharded ? PubSubSharded : PubSubClassic, PubSubUndecided) == PubSubUndecided)
        {
            _channels = new NodeChannels(
                NodeChannel(NodeId, "req"),
                NodeChannel(NodeId, "rep"),
                NodeChannel(NodeId, "ctl"),
                RedisKeys.Channel(RedisKeys.BroadcastChannelName(_options.Prefix), sharded));
            Log.PubSubModeChosen(_logger, NodeId, sharded ? "sharded" : "classic", IsRedisCluster(redis));
        }
    }

    /// <summary>This node's channels; only called once Redis was reached (the mode is decided).</summary>
    private NodeChannels Channels => _channels ?? throw NotConnectedToRedis("use pub/sub");

    private RedisChannel NodeChannel(string nodeId, string kind) => RedisKeys.Channel(RedisKeys.NodeChannelName(_options.Prefix, nodeId, kind), Sharded());

    private RedisChannel EventChannel(string channel) => RedisKeys.Channel(RedisKeys.EventChannelName(_options.Prefix, channel), Sharded());

    /// <summary>The pub/sub mode, deciding it first if Redis was reached only just now.</summary>
    private bool Sharded()
    {
        if (Volatile.Read(ref _pubSubMode) == PubSubUndecided && _redis is { } redis)
        {
            DecidePubSubMode(redis);
        }

        return UsesShardedPubSub;
    }

    private RedisKey StationKey(string identity) => RedisKeys.Station(_options.Prefix, identity);

    private RedisKey NodeKey(string nodeId) => RedisKeys.Node(_options.Prefix, nodeId);

    /// <summary>
    /// Whether a node's heartbeat key exists. Its expiry is remembered (the time before asking plus the key's
    /// <c>PTTL</c>, never later than the key's real expiry), so a node is asked about at most once per heartbeat TTL:
    /// a routed call's lookup is then one <c>GET</c>, on a standalone Redis and on a cluster (where the station key and
    /// the heartbeat key are in different slots and no script may read both).
    /// </summary>
    private async Task<bool> IsNodeAliveAsync(IDatabase db, string nodeId, string what, CancellationToken cancellationToken, TimeSpan? limit = null)
    {
        if (nodeId == NodeId)
        {
            return true;
        }

        long now = Stopwatch.GetTimestamp();
        if (_nodeAliveUntil.TryGetValue(nodeId, out long until) && until > now)
        {
            return true;
        }

        // PTTL: -2 no key, -1 no expiry (written by hand: alive for one heartbeat TTL), else milliseconds left.
        long ms = (long)await Guard(db.ExecuteAsync("PTTL", NodeKey(nodeId)), what, cancellationToken, limit).ConfigureAwait(false);
        if (ms == -2)
        {
            _nodeAliveUntil.TryRemove(nodeId, out _);
            return false;
        }

        TimeSpan left = ms < 0 ? _options.NodeHeartbeatTtl : TimeSpan.FromMilliseconds(ms);
        _nodeAliveUntil[nodeId] = now + (long)(left.TotalSeconds * Stopwatch.Frequency);
        return true;
    }

    /// <summary>Forgets expired heartbeats (once per tick), so the table holds only the nodes seen recently.</summary>
    private void ForgetExpiredNodes()
    {
        long now = Stopwatch.GetTimestamp();
        foreach (KeyValuePair<string, long> entry in _nodeAliveUntil)
        {
            if (entry.Value <= now)
            {
                _nodeAliveUntil.TryRemove(entry);
            }
        }
    }

    /// <summary>
    /// A Redis command failed. On a cluster that may be a failover StackExchange.Redis has not seen yet (commands for
    /// the dead primary's slots fail at once and produce no redirect to learn from), so the next tick reloads the
    /// topology.
    /// </summary>
    private void NoteRedisFailure()
    {
        if (_redis is { } redis && IsRedisCluster(redis))
        {
            Volatile.Write(ref _topologyReloadWanted, 1);
        }
    }

    /// <summary>Reloads the cluster topology when a command failed since the last tick. Returns whether it did.</summary>
    private async Task<bool> ReloadTopologyIfWantedAsync(IConnectionMultiplexer redis)
    {
        if (Interlocked.Exchange(ref _topologyReloadWanted, 0) == 0)
        {
            return false;
        }

        try
        {
            await redis.ConfigureAsync().WaitAsync(_options.OperationTimeout).ConfigureAwait(false);
            Log.TopologyReloaded(_logger, NodeId);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Volatile.Write(ref _topologyReloadWanted, 1);
            Log.RefreshFailed(_logger, ex, NodeId);
        }

        return true;
    }

    private sealed record NodeChannels(RedisChannel Request, RedisChannel Reply, RedisChannel Control, RedisChannel Broadcast);
}

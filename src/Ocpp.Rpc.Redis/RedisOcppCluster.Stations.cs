using System.Runtime.CompilerServices;
using Ocpp.Rpc.Clustering;
using Ocpp.Rpc.Redis.Internal;
using StackExchange.Redis;

namespace Ocpp.Rpc.Redis;

// Station lookups and the cluster-wide listing, read from the presence keys ({generation}|{connectedMs}|{protocol}|{node}).
public sealed partial class RedisOcppCluster
{
    private const int ListPageSize = 500;

    /// <inheritdoc/>
    public IOcppStation GetStation(string identity) => new OcppClusterStation(this, identity);

    /// <inheritdoc/>
    /// <exception cref="OcppClusterUnavailableException">The station is not on this node and Redis cannot be asked.</exception>
    public async ValueTask<OcppStationInfo?> FindStationAsync(string identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (TryGetLocal(identity, out OcppConnection? local))
        {
            return LocalInfo(local);
        }

        IConnectionMultiplexer redis = await GetRedisAsync().ConfigureAwait(false);
        if (!redis.IsConnected)
        {
            throw NotConnectedToRedis($"find '{identity}'");
        }

        (_, string? value) = await FindPresenceAsync(redis, identity, $"find '{identity}'", cancellationToken).ConfigureAwait(false);
        return TryParsePresence(value, out _, out DateTimeOffset since, out string? protocol, out string? node)
            ? new OcppStationInfo(identity, protocol, node, since)
            : null;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// This node's stations come from its own table; the others' from a <c>SCAN</c> of the presence keys in pages of
    /// 500 (on a Redis Cluster, of every primary that owns slots), one <c>MGET</c> per hash slot of a page, and one
    /// heartbeat check per node seen, so a dead node's stations whose presence has not expired yet are left out.
    /// Redis is asked before anything is returned.
    /// </remarks>
    /// <exception cref="OcppClusterUnavailableException">Redis cannot be reached (on a cluster: one of its primaries).</exception>
    public async IAsyncEnumerable<OcppStationInfo> ListStationsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        IConnectionMultiplexer redis = await GetRedisAsync().ConfigureAwait(false);
        if (!redis.IsConnected)
        {
            throw NotConnectedToRedis("list the stations");
        }

        IReadOnlyList<IServer> primaries = Primaries(redis);
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, LocalStation> entry in _local)
        {
            if (entry.Value.Visible && listed.Add(entry.Key))
            {
                yield return LocalInfo(entry.Value.Connection);
            }
        }

        IDatabase db = redis.GetDatabase();
        string pattern = RedisKeys.StationPattern(_options.Prefix);
        foreach (IServer server in primaries)
        {
            string cursor = "0";
            do
            {
                cancellationToken.ThrowIfCancellationRequested();
                var page = (RedisResult[])(await Guard(server.ExecuteAsync("SCAN", cursor, "MATCH", pattern, "COUNT", ListPageSize), "list the stations", cancellationToken).ConfigureAwait(false))!;
                cursor = (string)page[0]!;
                RedisKey[] keys = [.. ((RedisResult[])page[1]!).Select(k => (RedisKey)(string)k!)];
                foreach (IGrouping<int, RedisKey> slot in keys.GroupBy(k => redis.HashSlot(k)))
                {
                    RedisKey[] group = [.. slot];
                    RedisValue[] values = await Guard(db.StringGetAsync(group), "list the stations", cancellationToken).ConfigureAwait(false);
                    for (int i = 0; i < group.Length; i++)
                    {
                        string? identity = RedisKeys.IdentityOf(_options.Prefix, (string)group[i]!);
                        if (identity is null
                            || listed.Contains(identity)
                            || !TryParsePresence(values[i], out _, out DateTimeOffset since, out string? protocol, out string? node)
                            || node == NodeId // Ours are listed above; a key of ours without a local connection is stale.
                            || !await IsNodeAliveAsync(db, node, "list the stations", cancellationToken).ConfigureAwait(false))
                        {
                            continue;
                        }

                        listed.Add(identity);
                        yield return new OcppStationInfo(identity, protocol, node, since);
                    }
                }
            }
            while (cursor != "0");
        }
    }

    /// <summary>
    /// The servers that hold presence keys: every primary that owns slots on a Redis Cluster (as StackExchange.Redis
    /// last saw the topology; it reloads it after a failover), else the connected primary.
    /// </summary>
    private IReadOnlyList<IServer> Primaries(IConnectionMultiplexer redis)
    {
        IServer[] servers = redis.GetServers();
        IServer? any = servers.FirstOrDefault(s => s.IsConnected && s.ServerType == ServerType.Cluster);
        if (any is null)
        {
            IServer? primary = servers.FirstOrDefault(s => s.IsConnected && !s.IsReplica);
            return primary is null ? throw NotConnectedToRedis("list the stations") : [primary];
        }

        ClusterConfiguration? topology = any.ClusterConfiguration;
        var primaries = new List<IServer>();
        foreach (ClusterNode node in topology?.Nodes ?? [])
        {
            if (!node.IsReplica && node.Slots.Count > 0 && node.EndPoint is { } endPoint)
            {
                try
                {
                    primaries.Add(redis.GetServer(endPoint));
                }
                catch (ArgumentException ex)
                {
                    throw new OcppClusterUnavailableException($"Redis Cluster node {endPoint} is not known to this connection yet: cannot list the stations.", ex);
                }
            }
        }

        return primaries;
    }

    private OcppStationInfo LocalInfo(OcppConnection connection) => new(connection.Identity, connection.Protocol, NodeId, connection.ConnectedAt);
}

using System.Runtime.CompilerServices;
using System.Text;
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

        RedisResult result = await Guard(redis.GetDatabase().ScriptEvaluateAsync(Scripts.Find, [StationKey(identity)], [_options.Prefix + "node:"]), $"find '{identity}'", cancellationToken).ConfigureAwait(false);
        return !result.IsNull && TryParsePresence((string?)result, out _, out DateTimeOffset since, out string? protocol, out string? node)
            ? new OcppStationInfo(identity, protocol, node, since)
            : null;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// This node's stations come from its own table; the others' from a <c>SCAN</c> of the presence keys in pages of
    /// 500 (one <c>MGET</c> each, and one <c>EXISTS</c> per node seen, so a dead node's stations whose presence has
    /// not expired yet are left out). Redis is asked before anything is returned.
    /// </remarks>
    /// <exception cref="OcppClusterUnavailableException">Redis cannot be reached.</exception>
    public async IAsyncEnumerable<OcppStationInfo> ListStationsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        IConnectionMultiplexer redis = await GetRedisAsync().ConfigureAwait(false);
        if (!redis.IsConnected)
        {
            throw NotConnectedToRedis("list the stations");
        }

        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, LocalStation> entry in _local)
        {
            if (entry.Value.Visible && listed.Add(entry.Key))
            {
                yield return LocalInfo(entry.Value.Connection);
            }
        }

        IDatabase db = redis.GetDatabase();
        string keyPrefix = _options.Prefix + "station:";
        string pattern = EscapeGlob(keyPrefix) + "*";
        var liveNodes = new Dictionary<string, bool>(StringComparer.Ordinal) { [NodeId] = false }; // Ours are listed above.
        string cursor = "0";
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = (RedisResult[])(await Guard(db.ExecuteAsync("SCAN", cursor, "MATCH", pattern, "COUNT", ListPageSize), "list the stations", cancellationToken).ConfigureAwait(false))!;
            cursor = (string)page[0]!;
            RedisKey[] keys = [.. ((RedisResult[])page[1]!).Select(k => (RedisKey)(string)k!)];
            if (keys.Length == 0)
            {
                continue;
            }

            RedisValue[] values = await Guard(db.StringGetAsync(keys), "list the stations", cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < keys.Length; i++)
            {
                string identity = ((string)keys[i]!)[keyPrefix.Length..];
                if (!TryParsePresence(values[i], out _, out DateTimeOffset since, out string? protocol, out string? node) || listed.Contains(identity))
                {
                    continue;
                }

                if (!liveNodes.TryGetValue(node, out bool live))
                {
                    live = await Guard(db.KeyExistsAsync(NodeKey(node)), "list the stations", cancellationToken).ConfigureAwait(false);
                    liveNodes[node] = live;
                }

                if (live && listed.Add(identity))
                {
                    yield return new OcppStationInfo(identity, protocol, node, since);
                }
            }
        }
        while (cursor != "0");
    }

    private OcppStationInfo LocalInfo(OcppConnection connection) => new(connection.Identity, connection.Protocol, NodeId, connection.ConnectedAt);

    private static string EscapeGlob(string text)
    {
        var escaped = new StringBuilder(text.Length + 4);
        foreach (char c in text)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}

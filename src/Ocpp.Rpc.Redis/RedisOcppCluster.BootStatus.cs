using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Ocpp.Rpc.Redis;

// The boot gate's store for a cluster: each identity's last BootNotification status in {prefix}boot:{identity} (no
// TTL: a station may stay away for weeks and come back without booting), so a station that reconnects to another
// node is not gated again. Statuses this node read or wrote are also kept in memory and answer while Redis is down.
public sealed partial class RedisOcppCluster : IOcppBootStatusStore
{
    private readonly ConcurrentDictionary<string, OcppBootStatus> _bootStatuses = new(StringComparer.Ordinal);

    /// <summary>
    /// The last BootNotification status of a station, from Redis (<c>{prefix}boot:{identity}</c>); while Redis is
    /// unreachable, the last one this node read or wrote.
    /// </summary>
    /// <param name="identity">The station identity.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The status, or <see langword="null"/> when the station never booted.</returns>
    /// <exception cref="Clustering.OcppClusterUnavailableException">Redis is unreachable and this node has not seen the station's status.</exception>
    public async ValueTask<OcppBootStatus?> GetAsync(string identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        IConnectionMultiplexer redis = await GetRedisAsync().ConfigureAwait(false);
        if (!redis.IsConnected)
        {
            return _bootStatuses.TryGetValue(identity, out OcppBootStatus known) ? known : throw NotConnectedToRedis($"read the boot status of '{identity}'");
        }

        RedisValue value = await Guard(redis.GetDatabase().StringGetAsync(BootKey(identity)), $"read the boot status of '{identity}'", cancellationToken).ConfigureAwait(false);
        if (value.IsNull || !Enum.TryParse((string?)value, ignoreCase: false, out OcppBootStatus status) || !Enum.IsDefined(status))
        {
            _bootStatuses.TryRemove(identity, out _);
            return null;
        }

        _bootStatuses[identity] = status;
        return status;
    }

    /// <summary>Stores a station's BootNotification status in Redis for every node.</summary>
    /// <param name="identity">The station identity.</param>
    /// <param name="status">The status.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="Clustering.OcppClusterUnavailableException">Redis is unreachable (this node keeps the status all the same).</exception>
    public async ValueTask SetAsync(string identity, OcppBootStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        _bootStatuses[identity] = status;
        IConnectionMultiplexer redis = await GetRedisAsync().ConfigureAwait(false);
        if (!redis.IsConnected)
        {
            throw NotConnectedToRedis($"store the boot status of '{identity}'");
        }

        await Guard(redis.GetDatabase().StringSetAsync(BootKey(identity), status.ToString()), $"store the boot status of '{identity}'", cancellationToken).ConfigureAwait(false);
    }

    private RedisKey BootKey(string identity) => Internal.RedisKeys.Boot(_options.Prefix, identity);
}

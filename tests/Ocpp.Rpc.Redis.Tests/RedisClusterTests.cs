using Ocpp.Rpc.Clustering;
using Ocpp.Rpc.Clustering.Specs;

namespace Ocpp.Rpc.Redis.Tests;

/// <summary>
/// The shared cluster spec suite (single-node and multi-node behaviour) against <see cref="RedisOcppCluster"/>: each
/// node is its own cluster member with its own Redis connection, all in one process, on a real redis-server.
/// </summary>
public sealed class RedisClusterTests(RedisServerFixture redis) : OcppMultiNodeClusterSpec, IClassFixture<RedisServerFixture>
{
    // A fresh prefix per test keeps tests apart on the shared server.
    private readonly string _prefix = $"t{Guid.NewGuid():N}:";

    protected override async Task<IOcppCluster> CreateClusterAsync() =>
        await RedisOcppCluster.ConnectAsync(TestOptions.Fast(redis.Server.Configuration, _prefix));
}

using Ocpp.Rpc.Clustering;
using Ocpp.Rpc.Clustering.Specs;

namespace Ocpp.Rpc.Redis.Tests;

/// <summary>
/// The shared cluster spec suite against <see cref="RedisOcppCluster"/> on a real three-primary Redis Cluster
/// (with replicas), with the same options as on a standalone server: the node detects the cluster and uses sharded
/// pub/sub (Redis 7).
/// </summary>
public sealed class RedisClusterModeTests(RedisClusterFixture redis) : OcppMultiNodeClusterSpec, IClassFixture<RedisClusterFixture>
{
    private readonly string _prefix = $"t{Guid.NewGuid():N}:";

    protected override async Task<IOcppCluster> CreateClusterAsync()
    {
        RedisOcppCluster cluster = await RedisOcppCluster.ConnectAsync(TestOptions.Fast(redis.Cluster.Configuration, _prefix));
        cluster.UsesShardedPubSub.Should().BeTrue("Redis 7 clusters have sharded pub/sub");
        return cluster;
    }
}

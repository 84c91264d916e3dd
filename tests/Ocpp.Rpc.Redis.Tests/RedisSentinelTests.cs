using Ocpp.Rpc.Clustering;
using Ocpp.Rpc.Clustering.Specs;

namespace Ocpp.Rpc.Redis.Tests;

/// <summary>
/// The shared cluster spec suite with the primary found through a real Sentinel (<c>serviceName=mymaster</c>), with the
/// same options as the standalone and Redis Cluster runs: classic pub/sub, plain batches.
/// </summary>
public sealed class RedisSentinelTests(RedisSentinelFixture redis) : OcppMultiNodeClusterSpec, IClassFixture<RedisSentinelFixture>
{
    private readonly string _prefix = $"t{Guid.NewGuid():N}:";

    protected override async Task<IOcppCluster> CreateClusterAsync()
    {
        RedisOcppCluster cluster = await RedisOcppCluster.ConnectAsync(TestOptions.Fast(redis.Server.Configuration, _prefix));
        cluster.IsRedisConnected.Should().BeTrue();
        cluster.UsesShardedPubSub.Should().BeFalse("a Sentinel-managed primary is not a cluster");
        return cluster;
    }
}

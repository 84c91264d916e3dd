using Ocpp.Rpc.Clustering;
using Ocpp.Rpc.Clustering.Specs;

namespace Ocpp.Rpc.Redis.Tests;

/// <summary>One real Redis Cluster (three primaries, three replicas) shared by the spec-suite classes below.</summary>
[CollectionDefinition(Name)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterFixture>
{
    public const string Name = "Redis Cluster";
}

/// <summary>
/// The shared cluster spec suite against <see cref="RedisOcppCluster"/> on a real Redis Cluster, with the same options
/// as on a standalone server: the node detects the cluster and uses sharded pub/sub (Redis 7).
/// </summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterModeTests(RedisClusterFixture redis) : OcppMultiNodeClusterSpec
{
    private readonly string _prefix = $"t{Guid.NewGuid():N}:";

    protected override async Task<IOcppCluster> CreateClusterAsync()
    {
        RedisOcppCluster cluster = await RedisOcppCluster.ConnectAsync(TestOptions.Fast(redis.Cluster.Configuration, _prefix));
        cluster.UsesShardedPubSub.Should().BeTrue("Redis 7 clusters have sharded pub/sub");
        return cluster;
    }
}

/// <summary>
/// The spec suite on the same Redis Cluster with <c>ShardedPubSub = false</c>: classic pub/sub routed by slot, as on a
/// Redis 6 cluster, where a publish's receiver count must still be exact (it tells a dead node).
/// </summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterClassicPubSubTests(RedisClusterFixture redis) : OcppMultiNodeClusterSpec
{
    private readonly string _prefix = $"t{Guid.NewGuid():N}:";

    protected override async Task<IOcppCluster> CreateClusterAsync()
    {
        RedisOcppCluster cluster = await RedisOcppCluster.ConnectAsync(TestOptions.Fast(redis.Cluster.Configuration, _prefix) with { ShardedPubSub = false });
        cluster.UsesShardedPubSub.Should().BeFalse();
        return cluster;
    }
}

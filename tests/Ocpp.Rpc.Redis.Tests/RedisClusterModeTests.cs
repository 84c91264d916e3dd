using Ocpp.Rpc.Clustering;
using Ocpp.Rpc.Clustering.Specs;
using Ocpp.Rpc.Redis.Internal;

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

    [Fact]
    public async Task A_node_s_heartbeat_and_channels_share_one_slot_and_presence_spreads_over_every_shard()
    {
        string[] names = [RedisKeys.Node(_prefix, "node-x")!, .. new[] { "req", "rep", "ctl" }.Select(k => RedisKeys.NodeChannelName(_prefix, "node-x", k))];
        var slots = new HashSet<int>();
        foreach (string name in names)
        {
            slots.Add(await redis.Cluster.SlotOfAsync(name));
        }

        slots.Should().ContainSingle();

        var shards = new HashSet<int>();
        foreach (int i in Enumerable.Range(0, 64))
        {
            shards.Add(await redis.Cluster.PrimaryOfSlotAsync(await redis.Cluster.SlotOfAsync(RedisKeys.Station(_prefix, $"CP-{i}")!)));
        }

        shards.Should().HaveCount(3, "64 stations' buckets land on all three primaries");
    }

    [Fact]
    public async Task The_duplicate_call_store_claims_saves_and_releases_on_a_cluster_across_nodes()
    {
        await using RedisOcppCluster a = await RedisOcppCluster.ConnectAsync(TestOptions.Fast(redis.Cluster.Configuration, _prefix));
        await using RedisOcppCluster b = await RedisOcppCluster.ConnectAsync(TestOptions.Fast(redis.Cluster.Configuration, _prefix));
        var shards = new HashSet<int>();
        for (int i = 0; i < 12; i++)
        {
            // Calls of many stations: their keys land on every shard, each script touches one.
            string identity = $"CP-DUP-{i}";
            OcppCallReplyClaim mine = await a.ClaimAsync(identity, "TransactionEvent", "m1", TimeSpan.FromSeconds(10));
            mine.Outcome.Should().Be(OcppCallReplyClaimOutcome.Claimed);
            (await b.ClaimAsync(identity, "TransactionEvent", "m1", TimeSpan.FromSeconds(10))).Outcome.Should().Be(OcppCallReplyClaimOutcome.InProgress);
            await a.SaveAsync(mine, "{\"n\":1}"u8.ToArray(), TimeSpan.FromMinutes(1));
            OcppCallReplyClaim answered = await b.ClaimAsync(identity, "TransactionEvent", "m1", TimeSpan.FromSeconds(10));
            answered.Outcome.Should().Be(OcppCallReplyClaimOutcome.Answered);
            System.Text.Encoding.UTF8.GetString(answered.Reply.Span).Should().Be("{\"n\":1}");

            OcppCallReplyClaim failed = await b.ClaimAsync(identity, "TransactionEvent", "m2", TimeSpan.FromSeconds(10));
            await b.ReleaseAsync(failed);
            (await a.ClaimAsync(identity, "TransactionEvent", "m2", TimeSpan.FromSeconds(10))).Outcome.Should().Be(OcppCallReplyClaimOutcome.Claimed, "a released claim is free again");
            shards.Add(await redis.Cluster.PrimaryOfSlotAsync(await redis.Cluster.SlotOfAsync(RedisKeys.Reply(_prefix, identity, "TransactionEvent", "m1")!)));
        }

        shards.Should().HaveCountGreaterThan(1);
    }

    [Fact]
    public async Task A_healthy_node_subscribes_once_and_its_presence_batches_touch_one_slot_each()
    {
        ClusterNode a = await StartNodeAsync();
        ClusterNode b = await StartNodeAsync();
        for (int i = 0; i < 40; i++)
        {
            await ConnectAsync(b, $"CP-S{i}");
        }

        var node = (RedisOcppCluster)b.Cluster;
        long start = node.PresenceRefreshes;
        await Eventually.TrueAsync(() => ValueTask.FromResult(node.PresenceRefreshes >= start + 2), "two more presence refreshes succeeded (no CROSSSLOT failure)", 10000);
        node.SubscribeAttempts.Should().Be(1, "the subscriptions stayed connected: the tick's health check does not resubscribe");
        (await a.Cluster.IsConnectedAsync("CP-S39")).Should().BeTrue();
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

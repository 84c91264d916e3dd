using System.Diagnostics;
using Ocpp.Rpc.Clustering.Specs;
using Ocpp.Rpc.Redis.Internal;
using StackExchange.Redis;
using Xunit.Abstractions;
using ClusterNode = Ocpp.Rpc.Clustering.Specs.ClusterNode;

namespace Ocpp.Rpc.Redis.Tests;

/// <summary>
/// A primary of a real Redis Cluster fails over while two nodes route calls through it: the shard that holds the
/// station-holding node's heartbeat and channels (and about a third of the presence keys) loses its primary, by a
/// manual <c>CLUSTER FAILOVER</c> on its replica or by SIGKILL. Checks the README's bound: once the cluster serves the
/// slot again, every station is visible and callable from the other node within one presence refresh interval (plus
/// one heartbeat, the tick that notices). A slot migration (the node's slot and a presence bucket's) is held to the same
/// bound.
/// </summary>
public sealed class RedisClusterFailoverTests(ITestOutputHelper output) : RedisTestBase
{
    private const int StationCount = 24;

    [Theory]
    [InlineData("CLUSTER FAILOVER")]
    [InlineData("SIGKILL")]
    public async Task After_a_primary_fails_over_presence_and_routed_calls_are_back_within_one_refresh_interval(string how)
    {
        await using RedisClusterServer redis = await RedisClusterServer.StartAsync();
        (RedisClusterOptions options, ClusterNode a, string nodeB, string[] stations) = await StartAsync(redis);
        int slot = await redis.SlotOfAsync(RedisKeys.NodeChannelName(Prefix, nodeB, "req"));
        int victim = await redis.PrimaryOfSlotAsync(slot);
        int onVictim = 0;
        foreach (string id in stations)
        {
            onVictim += await redis.PrimaryOfSlotAsync(await redis.SlotOfAsync(RedisKeys.Station(Prefix, id)!)) == victim ? 1 : 0;
        }

        onVictim.Should().BeGreaterThan(0, "some presence keys live on the shard that fails over");
        int replica = (await redis.ReplicasOfAsync(victim))[0];
        if (how == "SIGKILL")
        {
            await redis.KillAsync(victim);
        }
        else
        {
            (await RedisClusterServer.CommandAsync(replica, "CLUSTER", "FAILOVER")).Should().Be("OK");
        }

        await redis.WaitUntilServedByAsync(slot, replica);
        TimeSpan took = await AllCallableAsync(a, stations);
        TimeSpan bound = options.PresenceRefreshInterval + options.HeartbeatInterval;
        output.WriteLine($"{how}: {onVictim} of {StationCount} presence keys on the failed shard; all stations callable {took.TotalMilliseconds:0} ms after the slot was served again (bound {bound.TotalMilliseconds:0} ms)");
        took.Should().BeLessThan(bound + TimeSpan.FromSeconds(1), "the README's bound (with a second for this busy machine)");
        await PresenceIsInRedisAsync(redis, nodeB, stations);
    }

    [Fact]
    public async Task A_slot_migration_keeps_presence_and_routed_calls()
    {
        await using RedisClusterServer redis = await RedisClusterServer.StartAsync();
        (RedisClusterOptions options, ClusterNode a, string nodeB, string[] stations) = await StartAsync(redis);

        // Move the slot of node B's heartbeat and channels, and the slot of one station's presence bucket, elsewhere.
        int[] slots = [await redis.SlotOfAsync(RedisKeys.NodeChannelName(Prefix, nodeB, "req")), await redis.SlotOfAsync(RedisKeys.Station(Prefix, stations[0])!)];
        var moves = new List<(int Slot, int To)>();
        foreach (int slot in slots.Distinct())
        {
            int from = await redis.PrimaryOfSlotAsync(slot);
            int to = (await redis.PrimariesAsync()).First(p => p != from);
            await redis.MigrateSlotAsync(slot, from, to);
            moves.Add((slot, to));
        }

        foreach ((int slot, int to) in moves)
        {
            await redis.WaitUntilServedByAsync(slot, to);
        }

        TimeSpan took = await AllCallableAsync(a, stations);
        TimeSpan bound = options.PresenceRefreshInterval + options.HeartbeatInterval;
        output.WriteLine($"migration of {moves.Count} slots: all stations callable {took.TotalMilliseconds:0} ms after the slots were served by their new primaries (bound {bound.TotalMilliseconds:0} ms)");
        took.Should().BeLessThan(bound + TimeSpan.FromSeconds(1));
        await PresenceIsInRedisAsync(redis, nodeB, stations);
    }

    /// <summary>Nodes A and B on the cluster, <see cref="StationCount"/> stations on B, all seen by A.</summary>
    private async Task<(RedisClusterOptions Options, ClusterNode A, string NodeB, string[] Stations)> StartAsync(RedisClusterServer redis)
    {
        RedisClusterOptions options = TestOptions.Fast(redis.Configuration, Prefix);
        string nodeB = "node-b-" + Guid.NewGuid().ToString("N")[..6];
        ClusterNode a = await StartNodeAsync(options with { NodeId = "node-a" });
        ClusterNode b = await StartNodeAsync(options with { NodeId = nodeB });
        string[] stations = [.. Enumerable.Range(0, StationCount).Select(i => $"CP-FO-{i}")];
        foreach (string id in stations)
        {
            await ConnectAsync(b, id, c => c.Handle("Ping", _ => Reply($$"""{"id":"{{id}}"}""")));
        }

        foreach (string id in stations)
        {
            await SeesAsync(a, id);
        }

        return (options, a, nodeB, stations);
    }

    /// <summary>How long until node A's routed call to every station answers (each probe with a short timeout).</summary>
    private static async Task<TimeSpan> AllCallableAsync(ClusterNode a, string[] stations)
    {
        var watch = Stopwatch.StartNew();
        foreach (string id in stations)
        {
            await Eventually.TrueAsync(async () =>
            {
                try
                {
                    return (await a.Cluster.CallAsync(id, "Ping", default, new OcppCallOptions { Timeout = TimeSpan.FromMilliseconds(250) })).GetProperty("id").GetString() == id;
                }
                catch (Exception ex) when (ex is Clustering.OcppClusterUnavailableException or Clustering.OcppStationNotConnectedException or OcppCallTimeoutException)
                {
                    return false;
                }
            }, $"node a calls {id} again", 15000);
        }

        return watch.Elapsed;
    }

    /// <summary>Redis holds every station's presence for node B (the refresh wrote back whatever the change lost).</summary>
    private async Task PresenceIsInRedisAsync(RedisClusterServer redis, string nodeB, string[] stations)
    {
        ConnectionMultiplexer raw = Own(await ConnectionMultiplexer.ConnectAsync(TestOptions.Configuration(redis.Configuration)));
        foreach (string id in stations)
        {
            ((string?)await raw.GetDatabase().StringGetAsync(RedisKeys.Station(Prefix, id))).Should().EndWith("|" + nodeB);
        }
    }
}

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
/// one heartbeat, the tick that notices).
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
        RedisClusterOptions options = TestOptions.Fast(redis.Configuration, Prefix);
        string nodeB = "node-b-" + Guid.NewGuid().ToString("N")[..6];
        int slot = await redis.SlotOfAsync(RedisKeys.NodeChannelName(Prefix, nodeB, "req"));
        int victim = await redis.PrimaryOfSlotAsync(slot);

        ClusterNode a = await StartNodeAsync(options with { NodeId = "node-a" });
        ClusterNode b = await StartNodeAsync(options with { NodeId = nodeB });
        string[] stations = [.. Enumerable.Range(0, StationCount).Select(i => $"CP-FO-{i}")];
        int onVictim = 0;
        foreach (string id in stations)
        {
            await ConnectAsync(b, id, c => c.Handle("Ping", _ => Reply($$"""{"id":"{{id}}"}""")));
            onVictim += await redis.PrimaryOfSlotAsync(await redis.SlotOfAsync(RedisKeys.Station(Prefix, id)!)) == victim ? 1 : 0;
        }

        onVictim.Should().BeGreaterThan(0, "some presence keys live on the shard that fails over");
        foreach (string id in stations)
        {
            await SeesAsync(a, id);
        }

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
        var sinceServed = Stopwatch.StartNew();

        // Every station: visible from node A, and a routed call through the promoted primary's channels answers.
        TimeSpan bound = options.PresenceRefreshInterval + options.HeartbeatInterval;
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

        TimeSpan took = sinceServed.Elapsed;
        output.WriteLine($"{how}: {onVictim} of {StationCount} presence keys on the failed shard; all stations callable {took.TotalMilliseconds:0} ms after the slot was served again (bound {bound.TotalMilliseconds:0} ms)");
        took.Should().BeLessThan(bound + TimeSpan.FromSeconds(1), "the README's bound (with a second for this busy machine)");

        // And Redis holds every presence (the refresh wrote back what the promoted replica lacked).
        ConnectionMultiplexer raw = Own(await ConnectionMultiplexer.ConnectAsync(TestOptions.Configuration(redis.Configuration)));
        foreach (string id in stations)
        {
            ((string?)await raw.GetDatabase().StringGetAsync(RedisKeys.Station(Prefix, id))).Should().EndWith("|" + nodeB);
        }
    }
}

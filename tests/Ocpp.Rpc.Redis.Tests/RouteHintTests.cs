using Ocpp.Rpc.Clustering;
using Ocpp.Rpc.Clustering.Specs;
using StackExchange.Redis;
using ClusterNode = Ocpp.Rpc.Clustering.Specs.ClusterNode;

namespace Ocpp.Rpc.Redis.Tests;

/// <summary>
/// Route hints: a routed call to a station that answered recently goes straight to its node (no presence GET), and a
/// hint that has gone wrong (the station moved, the node died) costs a lookup, never a wrong or lost answer.
/// </summary>
public sealed class RouteHintTests(RedisServerFixture redis) : RedisTestBase, IClassFixture<RedisServerFixture>
{
    private RedisClusterOptions Options => TestOptions.Fast(redis.Server.Configuration, Prefix);

    [Fact]
    public async Task Repeated_routed_calls_to_one_station_skip_the_presence_lookup()
    {
        ClusterNode a = await StartNodeAsync(Options);
        ClusterNode b = await StartNodeAsync(Options);
        await ConnectAsync(b, "CP-H1", c => c.Handle("Which", _ => Reply("""{"node":"b"}""")));
        await SeesAsync(a, "CP-H1");
        IDatabase raw = await RawAsync(redis.Server.Configuration);

        (await a.Cluster.CallAsync("CP-H1", "Which")).GetProperty("node").GetString().Should().Be("b");
        ((RedisOcppCluster)a.Cluster).RouteHintCount.Should().Be(1);
        long before = await GetCallsAsync(raw);
        for (int i = 0; i < 20; i++)
        {
            (await a.Cluster.CallAsync("CP-H1", "Which")).GetProperty("node").GetString().Should().Be("b");
        }

        // Without hints every call reads the presence key; with them at most one re-check when the heartbeat cache ages.
        (await GetCallsAsync(raw) - before).Should().BeLessThanOrEqualTo(1);

        // A hint lives one second after its lookup (the scenario waits that out): then the presence is read again.
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        before = await GetCallsAsync(raw);
        (await a.Cluster.CallAsync("CP-H1", "Which")).GetProperty("node").GetString().Should().Be("b");
        (await GetCallsAsync(raw) - before).Should().Be(1);
    }

    [Fact]
    public async Task A_station_that_moved_is_reached_through_a_stale_hint()
    {
        ClusterNode a = await StartNodeAsync(Options);
        ClusterNode b = await StartNodeAsync(Options);
        ClusterNode c = await StartNodeAsync(Options);
        await ConnectAsync(b, "CP-H2", conn => conn.Handle("Which", _ => Reply("""{"node":"b"}""")));
        await SeesAsync(a, "CP-H2");
        (await a.Cluster.CallAsync("CP-H2", "Which")).GetProperty("node").GetString().Should().Be("b");
        ((RedisOcppCluster)a.Cluster).RouteHintCount.Should().Be(1);

        // The station moves to c, which evicts its connection on b; a still holds the hint to b.
        await ConnectAsync(c, "CP-H2", conn => conn.Handle("Which", _ => Reply("""{"node":"c"}""")));
        await Eventually.TrueAsync(() => ValueTask.FromResult(!b.Cluster.TryGetLocal("CP-H2", out _)), "node b dropped the station");

        (await a.Cluster.CallAsync("CP-H2", "Which")).GetProperty("node").GetString().Should().Be("c");
        (await a.Cluster.CallAsync("CP-H2", "Which")).GetProperty("node").GetString().Should().Be("c");
    }

    [Fact]
    public async Task A_hint_to_a_node_that_lost_Redis_falls_back_to_presence()
    {
        ClusterNode a = await StartNodeAsync(Options);
        ConnectionMultiplexer bRedis = await ConnectionMultiplexer.ConnectAsync(TestOptions.Configuration(redis.Server.Configuration));
        ClusterNode b = await StartNodeAsync(Options with { ConnectionMultiplexer = bRedis });
        ClusterNode c = await StartNodeAsync(Options);
        await ConnectAsync(b, "CP-H3", conn => conn.Handle("Which", _ => Reply("""{"node":"b"}""")));
        await SeesAsync(a, "CP-H3");
        (await a.Cluster.CallAsync("CP-H3", "Which")).GetProperty("node").GetString().Should().Be("b");
        ((RedisOcppCluster)a.Cluster).RouteHintCount.Should().Be(1);

        // b loses Redis (nobody hears its channel, its heartbeat still counts for a while); the station goes to c.
        bRedis.Dispose();
        await ConnectAsync(c, "CP-H3", conn => conn.Handle("Which", _ => Reply("""{"node":"c"}""")));

        (await a.Cluster.CallAsync("CP-H3", "Which", default, new OcppCallOptions { Timeout = TimeSpan.FromSeconds(5) }))
            .GetProperty("node").GetString().Should().Be("c");
    }

    [Fact]
    public async Task A_station_gone_everywhere_is_not_connected_despite_its_hint()
    {
        ClusterNode a = await StartNodeAsync(Options);
        ClusterNode b = await StartNodeAsync(Options);
        Station station = await ConnectAsync(b, "CP-H4", conn => conn.Handle("Which", _ => Reply("""{"node":"b"}""")));
        await SeesAsync(a, "CP-H4");
        (await a.Cluster.CallAsync("CP-H4", "Which")).GetProperty("node").GetString().Should().Be("b");
        ((RedisOcppCluster)a.Cluster).RouteHintCount.Should().Be(1);

        await station.DisposeAsync();
        await Eventually.TrueAsync(() => ValueTask.FromResult(!b.Cluster.TryGetLocal("CP-H4", out _)), "node b dropped the station");

        await a.Cluster.Invoking(x => x.CallAsync("CP-H4", "Which")).Should().ThrowAsync<OcppStationNotConnectedException>();
        ((RedisOcppCluster)a.Cluster).RouteHintCount.Should().Be(0);
    }

    private static Task<long> GetCallsAsync(IDatabase raw) => CommandCallsAsync(raw, "get");
}

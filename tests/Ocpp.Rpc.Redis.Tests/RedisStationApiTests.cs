using System.Collections.Concurrent;
using System.Text.Json;
using Ocpp.Rpc.Clustering;
using Ocpp.Rpc.Clustering.Specs;
using Ocpp.Rpc.Redis.Internal;
using ClusterNode = Ocpp.Rpc.Clustering.Specs.ClusterNode;

namespace Ocpp.Rpc.Redis.Tests;

/// <summary>The one station API through a real redis-server: a handle on a station on another node, and the cluster-wide listing.</summary>
public sealed class RedisStationApiTests(RedisServerFixture redis) : RedisTestBase, IClassFixture<RedisServerFixture>
{
    private RedisClusterOptions Options => TestOptions.Fast(redis.Server.Configuration, Prefix);

    [Fact]
    public async Task A_station_on_another_node_is_called_raw_typed_and_with_a_SEND_through_its_handle()
    {
        ClusterNode a = await StartNodeAsync(Options);
        ClusterNode b = await StartNodeAsync(Options);
        var sends = new ConcurrentQueue<string>();
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await ConnectAsync(b, "CP-FAR", c =>
        {
            c.Handle("Reset", ctx => Reply($$"""{"status":"{{ctx.PayloadElement.GetProperty("type").GetString()}}"}"""));
            c.Handle("NotifyPeriodicEventStream", ctx =>
            {
                sends.Enqueue(ctx.PayloadElement.GetRawText());
                sent.TrySetResult();
                return new ValueTask<OcppReply>(OcppReply.NoReply);
            });
        }, OcppProtocols.Ocpp21);
        await SeesAsync(a, "CP-FAR");

        IOcppStation station = a.Cluster.GetStation("CP-FAR");
        JsonElement raw = await station.CallAsync("Reset", OcppPayload.FromJson("""{"type":"Soft"}"""));
        ResetResponse typed = await station.CallAsync("Reset", OcppPayload.FromJson("""{"type":"Hard"}"""), TestJsonContext.Default.ResetResponse);
        await station.SendAsync("NotifyPeriodicEventStream", OcppPayload.FromJson("""{"id":1}"""));
        await sent.Task.WaitAsync(TimeSpan.FromSeconds(10));
        OcppStationInfo? info = await station.GetInfoAsync();

        raw.GetProperty("status").GetString().Should().Be("Soft");
        typed.Status.Should().Be("Hard");
        sends.Should().Equal("""{"id":1}""");
        station.Identity.Should().Be("CP-FAR");
        station.NodeId.Should().BeNull("the socket is on the other node");
        station.Protocol.Should().BeNull();
        info.Should().NotBeNull();
        info!.NodeId.Should().Be(b.Cluster.NodeId);
        info.Protocol.Should().Be(OcppProtocols.Ocpp21);
        info.ConnectedSince.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));

        // A typed request of another version is refused by the node that holds the station.
        await FluentActions.Awaiting(() => station.CallAsync(new Reset16Request("Soft"))).Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(() => a.Cluster.GetStation("CP-NOWHERE").CallAsync("Reset")).Should().ThrowAsync<OcppStationNotConnectedException>();
        (await a.Cluster.FindStationAsync("CP-NOWHERE")).Should().BeNull();
    }

    [Fact]
    public async Task A_local_station_is_called_through_the_same_handle_and_reports_this_node()
    {
        ClusterNode a = await StartNodeAsync(Options);
        await ConnectAsync(a, "CP-NEAR", c => c.Handle("Reset", _ => Reply("""{"status":"Accepted"}""")));

        IOcppStation station = a.Cluster.GetStation("CP-NEAR");
        ResetResponse typed = await station.CallAsync(new Reset16Request("Soft"));

        typed.Status.Should().Be("Accepted");
        station.NodeId.Should().Be(a.Cluster.NodeId);
        station.Protocol.Should().Be(OcppProtocols.Ocpp16);
        (await station.GetInfoAsync())!.NodeId.Should().Be(a.Cluster.NodeId);
    }

    [Fact]
    public async Task Listing_returns_every_station_across_two_nodes_once_with_its_node_and_protocol()
    {
        ClusterNode a = await StartNodeAsync(Options);
        ClusterNode b = await StartNodeAsync(Options);
        await ConnectAsync(a, "CP-A1");
        await ConnectAsync(a, "CP-A2", protocol: OcppProtocols.Ocpp201);
        for (int i = 0; i < 3; i++)
        {
            await ConnectAsync(b, $"CP-B{i}", protocol: OcppProtocols.Ocpp21);
        }

        foreach (string identity in new[] { "CP-B0", "CP-B1", "CP-B2" })
        {
            await SeesAsync(a, identity);
        }

        await SeesAsync(b, "CP-A1");
        await SeesAsync(b, "CP-A2");

        foreach (ClusterNode node in new[] { a, b })
        {
            var listed = new List<OcppStationInfo>();
            await foreach (OcppStationInfo info in node.Cluster.ListStationsAsync())
            {
                listed.Add(info);
            }

            listed.Select(s => (s.Identity, s.Protocol, s.NodeId)).Should().BeEquivalentTo(new[]
            {
                ("CP-A1", (string?)OcppProtocols.Ocpp16, a.Cluster.NodeId),
                ("CP-A2", OcppProtocols.Ocpp201, a.Cluster.NodeId),
                ("CP-B0", OcppProtocols.Ocpp21, b.Cluster.NodeId),
                ("CP-B1", OcppProtocols.Ocpp21, b.Cluster.NodeId),
                ("CP-B2", OcppProtocols.Ocpp21, b.Cluster.NodeId),
            });
        }
    }

    [Fact]
    public async Task Stations_of_a_node_without_a_heartbeat_are_left_out_of_the_listing()
    {
        ClusterNode a = await StartNodeAsync(Options);
        await ConnectAsync(a, "CP-LIVE");

        // A crashed node's presence outlives its heartbeat until the TTL runs out: it must not be listed (or found).
        StackExchange.Redis.IDatabase raw = await RawAsync(redis.Server.Configuration);
        await raw.StringSetAsync(RedisKeys.Station(Prefix, "CP-GHOST"), "1|0|ocpp1.6|crashed-node", TimeSpan.FromSeconds(30));

        var listed = new List<string>();
        await foreach (OcppStationInfo info in a.Cluster.ListStationsAsync())
        {
            listed.Add(info.Identity);
        }

        listed.Should().Equal("CP-LIVE");
        (await a.Cluster.FindStationAsync("CP-GHOST")).Should().BeNull();
    }
}

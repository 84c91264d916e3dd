using System.Text.Json;

namespace Ocpp.Rpc.Clustering.Specs;

/// <summary>
/// Behaviour every <see cref="IOcppCluster"/> must have, with one node. Implementations derive from this class and
/// supply nodes; multi-node behaviour (routing between nodes, eviction, node death) lives in <see cref="OcppMultiNodeClusterSpec"/>.
/// </summary>
public abstract class OcppClusterSpec : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    /// <summary>Creates a fresh cluster member for a new node.</summary>
    protected abstract Task<IOcppCluster> CreateClusterAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }
    }

    protected async Task<ClusterNode> StartNodeAsync(int port = 0)
    {
        ClusterNode node = await ClusterNode.StartAsync(await CreateClusterAsync(), port);
        _owned.Add(node);
        return node;
    }

    protected async Task<Station> ConnectAsync(ClusterNode node, string identity, Action<OcppConnection>? handlers = null)
    {
        Station station = await Station.ConnectAsync(node, identity, handlers);
        _owned.Add(station);
        await Eventually.TrueAsync(() => node.Cluster.IsConnectedAsync(identity), $"{identity} is registered");
        return station;
    }

    protected static ValueTask<OcppReply> Reply(string json) => new(OcppPayload.FromJson(json));

    [Fact]
    public async Task Calls_a_station_connected_to_this_node()
    {
        ClusterNode node = await StartNodeAsync();
        await ConnectAsync(node, "CP-1", c => c.Handle("GetConfiguration", _ => Reply("""{"configurationKey":[]}""")));
        JsonElement result = await node.Cluster.CallAsync("CP-1", "GetConfiguration");
        result.TryGetProperty("configurationKey", out _).Should().BeTrue();
        node.Cluster.TryGetLocal("CP-1", out OcppConnection? local).Should().BeTrue();
        local!.Identity.Should().Be("CP-1");
        node.Cluster.LocalConnections.Should().ContainSingle();
    }

    [Fact]
    public async Task A_station_handle_calls_the_local_station_and_knows_its_protocol_node_and_connection_time()
    {
        ClusterNode node = await StartNodeAsync();
        await ConnectAsync(node, "CP-H", c => c.Handle("GetConfiguration", _ => Reply("""{"configurationKey":[{"key":"K","readonly":true}]}""")));

        IOcppStation station = node.Cluster.GetStation("CP-H");
        JsonElement result = await station.CallAsync("GetConfiguration");
        OcppStationInfo? info = await station.GetInfoAsync();

        result.GetProperty("configurationKey")[0].GetProperty("key").GetString().Should().Be("K");
        station.Identity.Should().Be("CP-H");
        station.Protocol.Should().Be(OcppProtocols.Ocpp16);
        station.NodeId.Should().Be(node.Cluster.NodeId);
        info.Should().NotBeNull();
        (info!.Identity, info.Protocol, info.NodeId).Should().Be(("CP-H", OcppProtocols.Ocpp16, node.Cluster.NodeId));
        info.ConnectedSince.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        await FluentActions.Awaiting(() => node.Cluster.GetStation("CP-NONE").CallAsync("Reset")).Should().ThrowAsync<OcppStationNotConnectedException>();
    }

    [Fact]
    public async Task Listing_returns_every_station_of_the_node()
    {
        ClusterNode node = await StartNodeAsync();
        await ConnectAsync(node, "CP-L1");
        await ConnectAsync(node, "CP-L2");

        var listed = new List<OcppStationInfo>();
        await foreach (OcppStationInfo info in node.Cluster.ListStationsAsync())
        {
            listed.Add(info);
        }

        listed.Select(s => (s.Identity, s.NodeId)).Should().BeEquivalentTo(new[] { ("CP-L1", node.Cluster.NodeId), ("CP-L2", node.Cluster.NodeId) });
    }

    [Fact]
    public async Task A_station_connected_nowhere_fails_fast()
    {
        ClusterNode node = await StartNodeAsync();
        var started = DateTime.UtcNow;
        var ex = (await node.Cluster.Invoking(c => c.CallAsync("NOBODY", "Reset", default, new OcppCallOptions { Timeout = TimeSpan.FromSeconds(30) }))
            .Should().ThrowAsync<OcppStationNotConnectedException>()).Which;
        ex.Identity.Should().Be("NOBODY");
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(5));
        (await node.Cluster.IsConnectedAsync("NOBODY")).Should().BeFalse();
    }

    [Fact]
    public async Task Presence_follows_connect_and_disconnect()
    {
        ClusterNode node = await StartNodeAsync();
        Station station = await ConnectAsync(node, "CP-P");
        (await node.Cluster.IsConnectedAsync("CP-P")).Should().BeTrue();
        await station.Connection.CloseAsync();
        await Eventually.TrueAsync(async () => !await node.Cluster.IsConnectedAsync("CP-P"), "the station is gone");
        await node.Cluster.Invoking(c => c.CallAsync("CP-P", "Reset")).Should().ThrowAsync<OcppStationNotConnectedException>();
    }

    [Fact]
    public async Task The_station_s_call_error_reaches_the_caller()
    {
        ClusterNode node = await StartNodeAsync();
        await ConnectAsync(node, "CP-E", c => c.Handle("Reset", _ => throw new OcppNotSupportedException("no resets today")));
        var ex = (await node.Cluster.Invoking(c => c.CallAsync("CP-E", "Reset", OcppPayload.FromJson("""{"type":"Soft"}""")))
            .Should().ThrowAsync<OcppNotSupportedException>()).Which;
        ex.Description.Should().Be("no resets today");
    }

    [Fact]
    public async Task The_caller_s_timeout_applies()
    {
        ClusterNode node = await StartNodeAsync();
        await ConnectAsync(node, "CP-T", c => c.Handle("Reset", _ => new ValueTask<OcppReply>(OcppReply.NoReply)));
        var started = DateTime.UtcNow;
        await node.Cluster.Invoking(c => c.CallAsync("CP-T", "Reset", default, new OcppCallOptions { Timeout = TimeSpan.FromMilliseconds(300) }))
            .Should().ThrowAsync<OcppCallTimeoutException>();
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Published_events_reach_subscribers_until_they_unsubscribe()
    {
        ClusterNode node = await StartNodeAsync();
        var received = new List<string>();
        var first = new TaskCompletionSource();
        IAsyncDisposable subscription = await node.Cluster.SubscribeAsync("tariffs", m => { lock (received) { received.Add(m); } first.TrySetResult(); return ValueTask.CompletedTask; });
        await node.Cluster.PublishAsync("tariffs", """{"price":0.3}""");
        await first.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await subscription.DisposeAsync();
        await node.Cluster.PublishAsync("tariffs", "after");
        await Task.Delay(200);
        received.Should().Equal("""{"price":0.3}""");
    }

    [Fact]
    public async Task Broadcast_calls_reach_every_station_of_the_protocol()
    {
        ClusterNode node = await StartNodeAsync();
        var reached = new System.Collections.Concurrent.ConcurrentBag<string>();
        for (int i = 0; i < 3; i++)
        {
            string id = $"CP-B{i}";
            await ConnectAsync(node, id, c => c.Handle("TriggerMessage", _ => { reached.Add(id); return Reply("""{"status":"Accepted"}"""); }));
        }

        await node.Cluster.BroadcastCallAsync("TriggerMessage", OcppPayload.FromJson("""{"requestedMessage":"Heartbeat"}"""), OcppProtocols.Ocpp16);
        await Eventually.TrueAsync(() => ValueTask.FromResult(reached.Count == 3), "every station got the broadcast");
        reached.Should().BeEquivalentTo(["CP-B0", "CP-B1", "CP-B2"]);
    }
}

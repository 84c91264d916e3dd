using System.Text.Json;

namespace Ocpp.Rpc.Clustering.Specs;

/// <summary>Behaviour of clusters that span several nodes (everything single-node implementations do, plus routing).</summary>
public abstract class OcppMultiNodeClusterSpec : OcppClusterSpec
{
    [Fact]
    public async Task Calls_a_station_held_by_another_node()
    {
        ClusterNode a = await StartNodeAsync();
        ClusterNode b = await StartNodeAsync();
        await ConnectAsync(b, "CP-X", c => c.Handle("GetConfiguration", ctx => Reply($$"""{"configurationKey":[{"key":"node","readonly":true,"value":"b"}],"echo":{{JsonSerializer.Serialize(ctx.PayloadElement)}}}""")));
        await Eventually.TrueAsync(() => a.Cluster.IsConnectedAsync("CP-X"), "node a sees the station on node b");
        JsonElement result = await a.Cluster.CallAsync("CP-X", "GetConfiguration", OcppPayload.FromJson("""{"key":["node"]}"""));
        result.GetProperty("configurationKey")[0].GetProperty("value").GetString().Should().Be("b");
        result.GetProperty("echo").GetProperty("key")[0].GetString().Should().Be("node");
        a.Cluster.TryGetLocal("CP-X", out _).Should().BeFalse();
    }

    [Fact]
    public async Task Errors_and_timeouts_cross_nodes()
    {
        ClusterNode a = await StartNodeAsync();
        ClusterNode b = await StartNodeAsync();
        await ConnectAsync(b, "CP-Y", c =>
        {
            c.Handle("Reset", _ => throw new OcppSecurityErrorException("not allowed"));
            c.Handle("Silent", _ => new ValueTask<OcppReply>(OcppReply.NoReply));
        });
        await Eventually.TrueAsync(() => a.Cluster.IsConnectedAsync("CP-Y"), "node a sees the station");
        var ex = (await a.Cluster.Invoking(c => c.CallAsync("CP-Y", "Reset")).Should().ThrowAsync<OcppSecurityErrorException>()).Which;
        ex.Description.Should().Be("not allowed");
        await a.Cluster.Invoking(c => c.CallAsync("CP-Y", "Silent", default, new OcppCallOptions { Timeout = TimeSpan.FromMilliseconds(500) }))
            .Should().ThrowAsync<OcppCallTimeoutException>();
    }

    [Fact]
    public async Task A_station_reconnecting_to_another_node_evicts_its_old_connection()
    {
        ClusterNode a = await StartNodeAsync();
        ClusterNode b = await StartNodeAsync();
        Station first = await ConnectAsync(a, "CP-M");
        Station second = await ConnectAsync(b, "CP-M", c => c.Handle("Reset", _ => Reply("""{"status":"Accepted"}""")));
        OcppClosedEventArgs closed = await first.Connection.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        closed.ClosedByPeer.Should().BeTrue();
        second.Connection.State.Should().Be(OcppConnectionState.Open);
        await Eventually.TrueAsync(() => ValueTask.FromResult(!a.Cluster.TryGetLocal("CP-M", out _)), "node a dropped its old socket");
        (await a.Cluster.CallAsync("CP-M", "Reset")).GetProperty("status").GetString().Should().Be("Accepted");
    }

    [Fact]
    public async Task Events_and_broadcasts_reach_every_node()
    {
        ClusterNode a = await StartNodeAsync();
        ClusterNode b = await StartNodeAsync();
        var onB = new TaskCompletionSource<string>();
        await using IAsyncDisposable sub = await b.Cluster.SubscribeAsync("events", m => { onB.TrySetResult(m); return ValueTask.CompletedTask; });
        await a.Cluster.PublishAsync("events", "hello from a");
        (await onB.Task.WaitAsync(TimeSpan.FromSeconds(5))).Should().Be("hello from a");

        var reached = new System.Collections.Concurrent.ConcurrentBag<string>();
        await ConnectAsync(a, "CP-A1", c => c.Handle("TriggerMessage", _ => { reached.Add("CP-A1"); return Reply("{}"); }));
        await ConnectAsync(b, "CP-B1", c => c.Handle("TriggerMessage", _ => { reached.Add("CP-B1"); return Reply("{}"); }));
        await a.Cluster.BroadcastCallAsync("TriggerMessage", OcppPayload.FromJson("""{"requestedMessage":"Heartbeat"}"""));
        await Eventually.TrueAsync(() => ValueTask.FromResult(reached.Count == 2), "stations on both nodes got the broadcast");
    }
}

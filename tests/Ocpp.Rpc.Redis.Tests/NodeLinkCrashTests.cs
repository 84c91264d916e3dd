using System.Net;
using Ocpp.Rpc.Clustering;
using Ocpp.Rpc.Clustering.Specs;
using Ocpp.Rpc.Tests.Shared;
using ClusterNode = Ocpp.Rpc.Clustering.Specs.ClusterNode;

namespace Ocpp.Rpc.Redis.Tests;

/// <summary>
/// A linked node that dies with SIGKILL (a child process running Ocpp.Rpc.Redis.Node): the calls waiting on its link
/// fail at once, not at their timeout, and its stations read as not connected once its heartbeat has expired.
/// </summary>
public sealed class NodeLinkCrashTests(RedisServerFixture redis) : RedisTestBase, IClassFixture<RedisServerFixture>
{
    private const string Key = "crash-test-link-key-0123456789";

    [Fact]
    public async Task Calls_waiting_on_the_link_to_a_node_killed_with_SIGKILL_fail_at_once_and_its_stations_then_read_as_gone()
    {
        ClusterNode a = await StartNodeAsync(TestOptions.Fast(redis.Server.Configuration, Prefix) with
        {
            NodeLinks = new RedisNodeLinkOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), SharedKey = Key },
        });
        await using ChildProcess child = ChildProcess.Start("Ocpp.Rpc.Redis.Node.dll", "--redis", redis.Server.Configuration, "--prefix", Prefix, "--node-id", "child-b", "--link-key", Key);
        string ready = await child.WaitForLineAsync("ready ");
        var endpoint = new Uri(ready.Split(' ')[1]);

        var held = new TaskCompletionSource();
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Own(await Station.ConnectAsync(endpoint, "CP-K1", c =>
        {
            c.Handle("Which", _ => Reply("""{"node":"child-b"}"""));
            c.Handle("Hold", async _ =>
            {
                reached.TrySetResult();
                await held.Task;
                return OcppReply.Empty;
            });
        }));
        await SeesAsync(a, "CP-K1", 10000);
        var nodeA = (RedisOcppCluster)a.Cluster;
        (await a.Cluster.CallAsync("CP-K1", "Which")).GetProperty("node").GetString().Should().Be("child-b");
        await Eventually.TrueAsync(() => ValueTask.FromResult(nodeA.OpenOutboundLinks == 1), "a linked to the child node");
        (await a.Cluster.CallAsync("CP-K1", "Which")).GetProperty("node").GetString().Should().Be("child-b");

        Task<System.Text.Json.JsonElement> call = a.Cluster.CallAsync("CP-K1", "Hold", default, new OcppCallOptions { Timeout = TimeSpan.FromSeconds(60) });
        await reached.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await child.KillAsync();

        // The kernel closes the dead process's sockets: the link's read ends, and the call fails well before its 60 s.
        Func<Task> waiting = () => call.WaitAsync(TimeSpan.FromSeconds(10));
        (await waiting.Should().ThrowAsync<OcppClusterUnavailableException>()).Which.Message.Should().Contain("link to node child-b closed");
        nodeA.PendingCallCount.Should().Be(0);
        held.SetResult();

        // Its heartbeat expires (1.5 s here): the station reads as not connected, and a call says so at once.
        await Eventually.TrueAsync(async () => !await SafeIsConnectedAsync(a.Cluster, "CP-K1"), "the dead node's station reads as gone", 10000);
        await a.Cluster.Invoking(x => x.CallAsync("CP-K1", "Which")).Should().ThrowAsync<OcppStationNotConnectedException>();
        nodeA.OpenOutboundLinks.Should().Be(0);
    }
}

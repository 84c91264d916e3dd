using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Client;
using Ocpp.Rpc.Clustering;

namespace Ocpp.Rpc.Redis.Tests;

/// <summary>
/// The deployment shape from the README: ASP.NET Core hosts with <c>AddOcppServer().AddRedisClustering()</c> and
/// <c>MapOcpp</c>, real <see cref="OcppClient"/> stations, a real redis-server.
/// </summary>
public sealed class AspNetCoreClusterTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private readonly HostedClusterNodes _nodes = new(redis.Server.Configuration, $"aspnet-{Guid.NewGuid():N}:");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _nodes.DisposeAsync().AsTask();

    private async Task<(WebApplication App, Uri Endpoint)> StartNodeAsync()
    {
        HostedNode node = await _nodes.StartNodeAsync(o => o with { Protocols = [OcppProtocols.Ocpp16] });
        return (node.App, node.Endpoint);
    }

    private Task<OcppClient> ConnectAsync(Uri endpoint, string identity, string answer) =>
        _nodes.ConnectAsync(endpoint, identity, OcppProtocols.Ocpp16, TimeSpan.FromSeconds(30), client =>
            client.Handle("GetConfiguration", _ => new ValueTask<OcppReply>(OcppPayload.FromJson($$"""{"configurationKey":[{"key":"node","readonly":true,"value":"{{answer}}"}]}"""))));

    [Fact]
    public async Task The_health_check_reports_the_Redis_link_degraded_while_Redis_is_down_and_healthy_again_after()
    {
        await using RedisServer own = await RedisServer.StartAsync(); // This test's own redis-server: it is killed.
        await using var nodes = new HostedClusterNodes(own.Configuration, _nodes.Prefix);
        WebApplication app = (await nodes.StartNodeAsync(more: ocpp => ocpp.AddHealthChecks())).App;
        var health = app.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>();

        Microsoft.Extensions.Diagnostics.HealthChecks.HealthReportEntry up = (await health.CheckHealthAsync()).Entries["ocpp"];
        up.Status.Should().Be(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy);
        up.Data["backplane"].Should().Be("Redis");
        up.Data["backplaneConnected"].Should().Be(true);

        await own.StopAsync();
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthReportEntry down = default;
        await Ocpp.Rpc.Clustering.Specs.Eventually.TrueAsync(async () => (down = (await health.CheckHealthAsync()).Entries["ocpp"]).Status == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, "the check sees Redis down", 10000);
        down.Data["backplaneConnected"].Should().Be(false);
        down.Description.Should().Contain("Redis is unreachable");

        await own.RestartAsync();
        await Ocpp.Rpc.Clustering.Specs.Eventually.TrueAsync(async () => (await health.CheckHealthAsync()).Entries["ocpp"].Status == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, "the check sees Redis back", 15000);
    }

    [Fact]
    public async Task Hosted_nodes_with_node_links_call_each_others_stations_over_the_link()
    {
        Func<RedisClusterOptions, RedisClusterOptions> links = o => o with
        {
            NodeLinks = new RedisNodeLinkOptions { Listen = new System.Net.IPEndPoint(System.Net.IPAddress.Any, 0), AdvertisedHost = "127.0.0.1", SharedKey = "hosted-link-key-0123456789" },
        };
        HostedNode a = await _nodes.StartNodeAsync(o => o with { Protocols = [OcppProtocols.Ocpp16] }, cluster: links);
        HostedNode b = await _nodes.StartNodeAsync(o => o with { Protocols = [OcppProtocols.Ocpp16] }, cluster: links);
        var clusterA = (RedisOcppCluster)a.Server.Cluster;
        var clusterB = (RedisOcppCluster)b.Server.Cluster;
        clusterB.NodeLinkAddress.Should().StartWith("127.0.0.1:", "the wildcard listener advertises AdvertisedHost");

        await ConnectAsync(b.Endpoint, "CP-LINKED", "b");
        await WaitUntilAsync(() => a.Server.Cluster.IsConnectedAsync("CP-LINKED"));
        (await a.Server.CallAsync("CP-LINKED", "GetConfiguration")).GetProperty("configurationKey")[0].GetProperty("value").GetString().Should().Be("b");
        await Ocpp.Rpc.Clustering.Specs.Eventually.TrueAsync(() => ValueTask.FromResult(clusterA.OpenOutboundLinks == 1 && clusterB.OpenInboundLinks == 1), "node A linked to node B");

        JsonElement overLink = await a.Server.GetStation("CP-LINKED").CallAsync("GetConfiguration");
        overLink.GetProperty("configurationKey")[0].GetProperty("value").GetString().Should().Be("b");
        clusterA.PendingCallCount.Should().Be(0);
    }

    [Fact]
    public async Task Each_server_reaches_stations_held_by_the_other_and_a_station_moving_evicts_its_old_socket()
    {
        (WebApplication a, Uri endpointA) = await StartNodeAsync();
        (WebApplication b, Uri endpointB) = await StartNodeAsync();
        OcppServer serverA = a.Services.GetRequiredService<OcppServer>();
        OcppServer serverB = b.Services.GetRequiredService<OcppServer>();
        serverA.Cluster.Should().BeOfType<RedisOcppCluster>();

        await ConnectAsync(endpointB, "CP-ON-B", "b");
        await WaitUntilAsync(() => serverA.Cluster.IsConnectedAsync("CP-ON-B"));
        JsonElement viaA = await serverA.CallAsync("CP-ON-B", "GetConfiguration");
        viaA.GetProperty("configurationKey")[0].GetProperty("value").GetString().Should().Be("b");

        // The station reconnects to node A: node B closes its old socket with 1008, and calls follow it to A.
        OcppClient first = await ConnectAsync(endpointB, "CP-MOVING", "first");
        var firstClosed = new TaskCompletionSource<int>();
        first.Disconnected += (_, e) => firstClosed.TrySetResult(e.Code);
        await WaitUntilAsync(() => serverA.Cluster.IsConnectedAsync("CP-MOVING"));
        await ConnectAsync(endpointA, "CP-MOVING", "second");
        (await firstClosed.Task.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(1008);
        JsonElement viaB = await serverB.CallAsync("CP-MOVING", "GetConfiguration");
        viaB.GetProperty("configurationKey")[0].GetProperty("value").GetString().Should().Be("second");

        await serverB.Invoking(s => s.CallAsync("NOBODY", "Reset")).Should().ThrowAsync<OcppStationNotConnectedException>();

        // A typed request of another version is refused by the node holding the station, not sent to it.
        await serverA.Invoking(s => s.GetStation("CP-ON-B").CallAsync(new Reset201Request("Immediate"))).Should().ThrowAsync<ArgumentException>();
    }

    private static async Task WaitUntilAsync(Func<ValueTask<bool>> condition)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the cluster should see the station");
            await Task.Delay(50);
        }
    }
}

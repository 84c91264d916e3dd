using System.Text.Json;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Client;

namespace Ocpp.Rpc.Redis.Tests;

/// <summary>
/// Boot gating across a cluster: two ASP.NET Core nodes with <c>AddRedisClustering</c> and a real redis-server, real
/// <see cref="OcppClient"/> stations. A station that booted on one node and reconnects to the other (without booting
/// again, as stations do) keeps its status: the Redis cluster is the boot-status store.
/// </summary>
public sealed class BootGatingClusterTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private readonly HostedClusterNodes _nodes = new(redis.Server.Configuration, $"boot-{Guid.NewGuid():N}:");

    public static TheoryData<string> Versions => [OcppProtocols.Ocpp16, OcppProtocols.Ocpp201, OcppProtocols.Ocpp21];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _nodes.DisposeAsync().AsTask();

    private async Task<(OcppServer Server, Uri Endpoint)> StartNodeAsync()
    {
        HostedNode node = await _nodes.StartNodeAsync(o => o with { BootGating = OcppBootGatingOptions.Default });
        node.Server.Handle("BootNotification", ctx => Reply(ctx.Identity!.StartsWith("acc", StringComparison.Ordinal)
            ? """{"status":"Accepted","interval":300,"currentTime":"2025-01-01T00:00:00Z"}"""
            : """{"status":"Rejected","interval":300,"currentTime":"2025-01-01T00:00:00Z"}"""));
        node.Server.Handle("Authorize", _ => Reply("""{"idTagInfo":{"status":"Accepted"}}"""));
        return (node.Server, node.Endpoint);
    }

    private static ValueTask<OcppReply> Reply(string json) => new(OcppPayload.FromJson(json));

    private Task<OcppClient> ConnectAsync(Uri endpoint, string identity, string protocol) => _nodes.ConnectAsync(endpoint, identity, protocol);

    private static OcppPayload Boot(string protocol) => OcppPayload.FromJson(protocol == OcppProtocols.Ocpp16
        ? """{"chargePointVendor":"Acme","chargePointModel":"X1"}"""
        : """{"reason":"PowerUp","chargingStation":{"vendorName":"Acme","model":"X1"}}""");

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task A_station_accepted_on_one_node_is_not_gated_when_it_reconnects_to_the_other(string protocol)
    {
        (OcppServer a, Uri endpointA) = await StartNodeAsync();
        (OcppServer b, Uri endpointB) = await StartNodeAsync();
        a.BootStatusStore.Should().BeOfType<RedisOcppCluster>();
        string identity = "acc-" + protocol.Replace('.', '-');

        OcppClient onA = await ConnectAsync(endpointA, identity, protocol);
        await FluentActions.Awaiting(() => onA.CallAsync("Authorize", OcppPayload.FromJson("{}"))).Should().ThrowAsync<OcppSecurityErrorException>();
        (await onA.CallAsync("BootNotification", Boot(protocol))).GetProperty("status").GetString().Should().Be("Accepted");
        await onA.CloseAsync();

        OcppClient onB = await ConnectAsync(endpointB, identity, protocol);
        (await onB.CallAsync("Authorize", OcppPayload.FromJson("{}"))).GetProperty("idTagInfo").GetProperty("status").GetString().Should().Be("Accepted");
        await Ocpp.Rpc.Clustering.Specs.Eventually.TrueAsync(() => ValueTask.FromResult(b.GetBootStatus(identity) == OcppBootStatus.Accepted), "node B lists the station as Accepted");

        // And back to A, through its own fresh read of Redis.
        await onB.CloseAsync();
        OcppClient backOnA = await ConnectAsync(endpointA, identity, protocol);
        await backOnA.CallAsync("Authorize", OcppPayload.FromJson("{}"));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task A_station_rejected_on_one_node_stays_rejected_on_the_other(string protocol)
    {
        (OcppServer a, Uri endpointA) = await StartNodeAsync();
        (OcppServer b, Uri endpointB) = await StartNodeAsync();
        string identity = "rej-" + protocol.Replace('.', '-');

        OcppClient onA = await ConnectAsync(endpointA, identity, protocol);
        (await onA.CallAsync("BootNotification", Boot(protocol))).GetProperty("status").GetString().Should().Be("Rejected");
        await onA.CloseAsync();

        OcppClient onB = await ConnectAsync(endpointB, identity, protocol);
        await FluentActions.Awaiting(() => onB.CallAsync("Authorize", OcppPayload.FromJson("{}"))).Should().ThrowAsync<OcppCallTimeoutException>();
        await Ocpp.Rpc.Clustering.Specs.Eventually.TrueAsync(() => ValueTask.FromResult(b.GetBootStatus(identity) == OcppBootStatus.Rejected), "node B lists the station as Rejected");

        // Calls to it are refused by the node holding its socket, also when they come from the other node.
        await FluentActions.Awaiting(() => b.CallAsync(identity, "GetConfiguration")).Should().ThrowAsync<OcppStationRejectedException>();
        await Ocpp.Rpc.Clustering.Specs.Eventually.TrueAsync(async () => await a.Cluster.IsConnectedAsync(identity), $"node A sees {identity}");
        (await FluentActions.Awaiting(() => a.CallAsync(identity, "GetConfiguration")).Should().ThrowAsync<Exception>())
            .Which.Message.Should().Contain("answered Rejected");
    }

    [Fact]
    public async Task The_cluster_keeps_statuses_under_its_prefix_without_expiry()
    {
        (OcppServer a, Uri _) = await StartNodeAsync();
        await a.SetBootStatusAsync("CP-KEY", OcppBootStatus.Pending);
        await using var raw = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration);
        StackExchange.Redis.IDatabase db = raw.GetDatabase();
        ((string?)await db.StringGetAsync(_nodes.Prefix + "boot:CP-KEY")).Should().Be("Pending");
        (await db.KeyTimeToLiveAsync(_nodes.Prefix + "boot:CP-KEY")).Should().BeNull();
        (await a.BootStatusStore!.GetAsync("CP-NEVER")).Should().BeNull();
    }
}

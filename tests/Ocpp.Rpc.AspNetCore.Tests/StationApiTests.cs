using System.Text.Json;
using Ocpp.Rpc.AspNetCore.Tests.Support;
using Ocpp.Rpc.Clustering;

namespace Ocpp.Rpc.AspNetCore.Tests;

// The one station API on a server over real sockets: GetStation, typed calls through the shared extensions, the
// listing, and one table of this node's stations (the cluster's; the server keeps none of its own).
public sealed partial class StationApiTests
{
    private sealed record Reset(string Type) : IOcppRequest<Reset, ResetAnswer>
    {
        public static string Action => "Reset";

        public static string Protocol => OcppProtocols.Ocpp16;

        public static System.Text.Json.Serialization.Metadata.JsonTypeInfo<Reset> RequestTypeInfo => StationApiJson.Default.Reset;

        public static System.Text.Json.Serialization.Metadata.JsonTypeInfo<ResetAnswer> ResponseTypeInfo => StationApiJson.Default.ResetAnswer;
    }

    private sealed record ResetAnswer(string Status);

    [System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
    [System.Text.Json.Serialization.JsonSerializable(typeof(Reset))]
    [System.Text.Json.Serialization.JsonSerializable(typeof(ResetAnswer))]
    private sealed partial class StationApiJson : System.Text.Json.Serialization.JsonSerializerContext;

    [Fact]
    public async Task A_local_station_is_called_raw_and_typed_through_its_handle_and_listed()
    {
        await using TestServer host = await TestServer.StartAsync();
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-S"), [OcppProtocols.Ocpp16], setup: s =>
            s.Handle("Reset", ctx => new ValueTask<OcppReply>(OcppPayload.FromJson($$"""{"status":"{{ctx.PayloadElement.GetProperty("type").GetString()}}"}"""))));
        await Await.UntilAsync(() => host.Server.ConnectionCount == 1);

        IOcppStation handle = host.Server.GetStation("CP-S");
        JsonElement raw = await handle.CallAsync("Reset", OcppPayload.FromJson("""{"type":"Soft"}"""));
        ResetAnswer typed = await handle.CallAsync(new Reset("Hard"));
        var listed = new List<OcppStationInfo>();
        await foreach (OcppStationInfo info in host.Server.ListStationsAsync())
        {
            listed.Add(info);
        }

        raw.GetProperty("status").GetString().Should().Be("Soft");
        typed.Status.Should().Be("Hard");
        (handle.Identity, handle.Protocol, handle.NodeId).Should().Be(("CP-S", OcppProtocols.Ocpp16, host.Server.Cluster.NodeId));
        listed.Should().ContainSingle().Which.Should().Match<OcppStationInfo>(i => i.Identity == "CP-S" && i.Protocol == OcppProtocols.Ocpp16 && i.NodeId == host.Server.Cluster.NodeId);
        host.Server.GetConnection("CP-S").Identity.Should().Be("CP-S", "a server connection always has its identity");
    }

    [Fact]
    public async Task The_server_reads_the_cluster_s_table_of_this_node_s_stations_and_keeps_none_of_its_own()
    {
        await using TestServer host = await TestServer.StartAsync();
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-T"));
        await Await.UntilAsync(() => host.Server.ConnectionCount == 1);

        host.Server.Cluster.TryGetLocal("CP-T", out OcppConnection? inCluster).Should().BeTrue();
        host.Server.GetConnection("CP-T").Should().BeSameAs(inCluster);
        host.Server.Connections.Should().ContainKey("CP-T").WhoseValue.Should().BeSameAs(inCluster);

        // Taken out of the cluster's table, the station is gone for the server too: there is no second table.
        await host.Server.Cluster.RemoveLocalAsync(inCluster!);
        host.Server.TryGetConnection("CP-T", out _).Should().BeFalse();
        host.Server.ConnectionCount.Should().Be(0);
        await FluentActions.Awaiting(() => host.Server.GetStation("CP-T").CallAsync("Reset")).Should().ThrowAsync<OcppStationNotConnectedException>();
    }
}

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ocpp.Rpc.AspNetCore.Tests.Support;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.AspNetCore.Tests;

// The same server inside an ASP.NET Core application: AddOcppServer + MapOcpp, without app.UseWebSockets().
public sealed class AspNetCoreTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private IOcppServerBuilder _builder = null!;
    private int _port;

    private OcppServer Server => _app.Services.GetRequiredService<OcppServer>();

    public async Task InitializeAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _builder = builder.Services.AddOcppServer(o => o with
        {
            Authenticate = (h, _) => ValueTask.FromResult(h.Identity.StartsWith("CP", StringComparison.Ordinal)
                ? OcppAuthResult.Accept(new Dictionary<string, object?> { ["endpoint"] = h.EndpointPath })
                : OcppAuthResult.UnknownIdentity()),
        });
        _app = builder.Build();
        _app.MapGet("/health", () => "ok");
        _app.MapOcpp("/ocpp");
        Server.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppPayload.FromJson("""{"currentTime":"2025-01-01T00:00:00Z"}""")));
        await _app.StartAsync();
        _port = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Uri Url(string path) => new($"ws://127.0.0.1:{_port}{path}");

    [Fact]
    public async Task AddOcppServer_returns_a_builder_over_the_same_services()
    {
        _builder.Services.Should().Contain(d => d.ServiceType == typeof(OcppServer));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Station_connects_under_the_mapped_path_and_is_served_by_shared_handlers()
    {
        Task<OcppStationConnectedEventArgs> connected = Await.NextConnected(Server);
        await using OcppConnection station = await Station.ConnectAsync(Url("/ocpp/CP-1"), [OcppProtocols.Ocpp201]);
        OcppStationConnectedEventArgs e = await connected;
        e.Connection.Items["endpoint"].Should().Be("/ocpp");
        station.Protocol.Should().Be(OcppProtocols.Ocpp201);
        (await station.CallAsync("Heartbeat")).GetProperty("currentTime").GetString().Should().Be("2025-01-01T00:00:00Z");
    }

    [Fact]
    public async Task Server_from_di_calls_the_station_by_identity()
    {
        await using OcppConnection station = await Station.ConnectAsync(Url("/ocpp/CP-2"), setup: s =>
            s.Handle("TriggerMessage", _ => new ValueTask<OcppReply>(OcppPayload.FromJson("""{"status":"Accepted"}"""))));
        await Await.UntilAsync(() => Server.TryGetConnection("CP-2", out _));
        (await Server.CallAsync("CP-2", "TriggerMessage", OcppPayload.FromJson("""{"requestedMessage":"Heartbeat"}""")))
            .GetProperty("status").GetString().Should().Be("Accepted");
    }

    [Fact]
    public async Task Handshake_rules_apply_the_same_way_as_standalone()
    {
        (await RawHttpClient.UpgradeAsync(_port, "/ocpp/CP%40x")).Status.Should().Be(101);
        (await RawHttpClient.UpgradeAsync(_port, "/ocpp/%zz")).Status.Should().Be(400);
        (await RawHttpClient.UpgradeAsync(_port, "/ocpp/%C3%28")).Status.Should().Be(400);
        (await RawHttpClient.UpgradeAsync(_port, "/ocpp/CP:1", OcppProtocols.Ocpp21)).Status.Should().Be(400);
        (await RawHttpClient.UpgradeAsync(_port, "/ocpp/CP-1", "ocpp2.0.1, ocpp1.6")).Headers["Sec-WebSocket-Protocol"].Should().Be(OcppProtocols.Ocpp201);
        (await RawHttpClient.UpgradeAsync(_port, "/ocpp/STRANGER")).Status.Should().Be(404);
        (await RawHttpClient.UpgradeAsync(_port, "/elsewhere/CP-1")).Status.Should().Be(404);
        (await RawHttpClient.UpgradeAsync(_port, "/ocpp/a/CP-1")).Status.Should().Be(404);
        using var http = new HttpClient();
        ((int)(await http.GetAsync(new Uri($"http://127.0.0.1:{_port}/ocpp/CP-1"))).StatusCode).Should().Be(400);
        (await http.GetStringAsync(new Uri($"http://127.0.0.1:{_port}/health"))).Should().Be("ok");
    }

    [Fact]
    public async Task Stopping_the_host_closes_stations_with_1001()
    {
        await using OcppConnection station = await Station.ConnectAsync(Url("/ocpp/CP-3"));
        await Await.UntilAsync(() => Server.ConnectionCount == 1);
        await _app.StopAsync().WaitAsync(Await.Timeout);
        (await station.Completion.WaitAsync(Await.Timeout)).Code.Should().Be(OcppCloseCodes.GoingAway);
    }
}

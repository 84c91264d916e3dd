using Ocpp.Rpc.AspNetCore.Tests.Support;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.AspNetCore.Tests;

// Time-bound behaviour: handshake timeout, keep-alive pings, graceful shutdown. Timings are shortened via options.
public class LifetimeTests
{
    [Fact]
    public async Task Client_that_opens_tcp_but_never_sends_the_upgrade_is_dropped()
    {
        await using TestServer host = await TestServer.StartAsync(OcppServerOptions.Default with { HandshakeTimeout = TimeSpan.FromSeconds(1) });
        await using RawHttpClient silent = await RawHttpClient.ConnectAsync(host.Port);
        (await silent.WaitForServerCloseAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
    }

    [Fact]
    public async Task Client_that_sends_half_the_headers_is_dropped()
    {
        await using TestServer host = await TestServer.StartAsync(OcppServerOptions.Default with { HandshakeTimeout = TimeSpan.FromSeconds(1) });
        await using RawHttpClient slow = await RawHttpClient.ConnectAsync(host.Port);
        await slow.SendAsync("GET /ocpp/CP-1 HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        (await slow.WaitForServerCloseAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
    }

    [Fact]
    public async Task Auth_callback_slower_than_the_handshake_timeout_drops_the_client()
    {
        var options = OcppServerOptions.Default with
        {
            HandshakeTimeout = TimeSpan.FromMilliseconds(300),
            Authenticate = async (_, ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return OcppAuthResult.Accept();
            },
        };
        await using TestServer host = await TestServer.StartAsync(options);
        Func<Task> connect = () => Station.ConnectSocketAsync(host.Url("CP-SLOW"));
        await connect.Should().ThrowAsync<System.Net.WebSockets.WebSocketException>();
        host.Server.ConnectionCount.Should().Be(0);
    }

    [Fact]
    public async Task Silent_but_alive_station_answers_pings_and_stays_connected()
    {
        var options = OcppServerOptions.Default with { KeepAliveInterval = TimeSpan.FromMilliseconds(100), KeepAliveTimeout = TimeSpan.FromSeconds(1) };
        await using TestServer host = await TestServer.StartAsync(options);
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-1"), configure: o => o.KeepAliveInterval = TimeSpan.Zero, setup: s =>
            s.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppPayload.Empty)));
        await Await.UntilAsync(() => host.Server.ConnectionCount == 1);
        await Task.Delay(1500);
        station.State.Should().Be(OcppConnectionState.Open);
        host.Server.ConnectionCount.Should().Be(1);
        (await host.Server.CallAsync("CP-1", "Heartbeat")).ValueKind.Should().Be(System.Text.Json.JsonValueKind.Object);
    }

    [Fact]
    public async Task Dead_peer_that_stops_answering_pings_is_detected_and_removed()
    {
        var options = OcppServerOptions.Default with { KeepAliveInterval = TimeSpan.FromMilliseconds(200), KeepAliveTimeout = TimeSpan.FromMilliseconds(300) };
        await using TestServer host = await TestServer.StartAsync(options);
        Task<OcppStationDisconnectedEventArgs> disconnected = Await.NextDisconnected(host.Server);

        // A raw client completes the upgrade, then never reads again: the pings go unanswered.
        await using RawHttpClient dead = await RawHttpClient.ConnectAsync(host.Port);
        await dead.SendAsync(RawHttpClient.UpgradeRequest("/ocpp/CP-DEAD"));
        (await dead.ReadResponseHeadAsync()).Status.Should().Be(101);
        await Await.UntilAsync(() => host.Server.ConnectionCount == 1);
        OcppStationDisconnectedEventArgs e = await disconnected;
        e.Connection.Identity.Should().Be("CP-DEAD");
        e.Closed.Code.Should().Be(OcppCloseCodes.Abnormal);
        host.Server.ConnectionCount.Should().Be(0);
    }

    [Fact]
    public async Task Graceful_shutdown_closes_every_station_with_1001_and_refuses_new_ones()
    {
        TestServer host = await TestServer.StartAsync();
        await using OcppConnection a = await Station.ConnectAsync(host.Url("CP-A"));
        await using OcppConnection b = await Station.ConnectAsync(host.Url("CP-B"), [OcppProtocols.Ocpp201]);
        await Await.UntilAsync(() => host.Server.ConnectionCount == 2);
        await host.Server.StopAsync();
        (await a.Completion.WaitAsync(Await.Timeout)).Code.Should().Be(OcppCloseCodes.GoingAway);
        (await b.Completion.WaitAsync(Await.Timeout)).Code.Should().Be(OcppCloseCodes.GoingAway);
        host.Server.ConnectionCount.Should().Be(0);
        await host.DisposeAsync();
    }

    [Fact]
    public async Task Graceful_shutdown_lets_an_in_flight_call_finish_first()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        TestServer host = await TestServer.StartAsync();
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-1"), setup: s => s.Handle("GetConfiguration", async _ =>
        {
            await release.Task;
            return OcppPayload.FromJson("""{"configurationKey":[]}""");
        }));
        await Await.UntilAsync(() => host.Server.ConnectionCount == 1);
        Task<System.Text.Json.JsonElement> call = host.Server.CallAsync("CP-1", "GetConfiguration");
        await Task.Delay(100);
        Task stopping = host.Server.StopAsync();
        await Task.Delay(100);
        stopping.IsCompleted.Should().BeFalse("the server waits for the in-flight call");
        release.SetResult();
        (await call).TryGetProperty("configurationKey", out _).Should().BeTrue();
        await stopping.WaitAsync(Await.Timeout);
        (await station.Completion.WaitAsync(Await.Timeout)).Code.Should().Be(OcppCloseCodes.GoingAway);
        await host.DisposeAsync();
    }

    [Fact]
    public async Task Forced_shutdown_drops_stations_that_do_not_finish()
    {
        var never = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        TestServer host = await TestServer.StartAsync(OcppServerOptions.Default with { ShutdownTimeout = TimeSpan.FromSeconds(30) });
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-1"), setup: s => s.Handle("GetConfiguration", async _ =>
        {
            await never.Task;
            return OcppPayload.Empty;
        }));
        await Await.UntilAsync(() => host.Server.ConnectionCount == 1);
        Task<System.Text.Json.JsonElement> call = host.Server.CallAsync("CP-1", "GetConfiguration");
        await Task.Delay(100);
        using var force = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await host.Server.StopAsync(force.Token).WaitAsync(Await.Timeout);
        await call.Invoking(c => c).Should().ThrowAsync<OcppConnectionClosedException>();
        host.Server.ConnectionCount.Should().Be(0);
        await host.DisposeAsync();
    }
}

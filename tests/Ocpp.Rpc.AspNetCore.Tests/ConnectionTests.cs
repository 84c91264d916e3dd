using Ocpp.Rpc.Clustering;
using System.Net.WebSockets;
using System.Text.Json;
using Ocpp.Rpc.AspNetCore.Tests.Support;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.AspNetCore.Tests;

// The server's table of stations: lookup, calls by identity, shared and per-connection handlers, duplicates, limits.
public class ConnectionTests
{
    [Fact]
    public async Task Server_calls_a_connected_station_by_identity()
    {
        await using TestServer host = await TestServer.StartAsync();
        Task<OcppStationConnectedEventArgs> connected = Await.NextConnected(host.Server);
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-1"), setup: s =>
            s.Handle("Reset", ctx => new ValueTask<OcppReply>(OcppPayload.FromJson($$"""{"status":"Accepted","echo":"{{ctx.PayloadElement.GetProperty("type").GetString()}}"}"""))));
        await connected;
        JsonElement result = await host.Server.CallAsync("CP-1", "Reset", OcppPayload.FromJson("""{"type":"Soft"}"""));
        result.GetProperty("status").GetString().Should().Be("Accepted");
        result.GetProperty("echo").GetString().Should().Be("Soft");
    }

    [Fact]
    public async Task Calling_a_station_that_is_not_connected_throws_a_clear_exception()
    {
        await using TestServer host = await TestServer.StartAsync();
        Func<Task> call = () => host.Server.CallAsync("NOBODY", "Reset");
        (await call.Should().ThrowAsync<OcppStationNotConnectedException>()).Which.Identity.Should().Be("NOBODY");
        host.Server.TryGetConnection("NOBODY", out _).Should().BeFalse();
    }

    [Fact]
    public async Task Shared_server_handlers_and_per_connection_handlers_both_answer_the_station()
    {
        await using TestServer host = await TestServer.StartAsync(setup: server =>
        {
            server.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppPayload.FromJson("""{"currentTime":"2025-01-01T00:00:00Z"}""")));
            server.StationConnected += (_, e) => e.Connection.Handle("BootNotification", ctx =>
                new ValueTask<OcppReply>(OcppPayload.FromJson($$"""{"status":"Accepted","interval":60,"currentTime":"2025-01-01T00:00:00Z","who":"{{ctx.Identity}}"}""")));
        });
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-9"));
        (await station.CallAsync("BootNotification", OcppPayload.FromJson("""{"chargePointVendor":"V","chargePointModel":"M"}""")))
            .GetProperty("who").GetString().Should().Be("CP-9");
        (await station.CallAsync("Heartbeat")).GetProperty("currentTime").GetString().Should().Be("2025-01-01T00:00:00Z");
        Func<Task> unknown = () => station.CallAsync("DataTransfer", OcppPayload.FromJson("""{"vendorId":"x"}"""));
        await unknown.Should().ThrowAsync<OcppNotImplementedException>();
    }

    [Fact]
    public async Task Disconnect_removes_the_station_and_raises_the_event()
    {
        await using TestServer host = await TestServer.StartAsync();
        Task<OcppStationDisconnectedEventArgs> disconnected = Await.NextDisconnected(host.Server);
        OcppConnection station = await Station.ConnectAsync(host.Url("CP-1"));
        await Await.UntilAsync(() => host.Server.ConnectionCount == 1);
        await station.CloseAsync(new OcppCloseOptions { Code = OcppCloseCodes.Normal, Reason = "bye" });
        OcppStationDisconnectedEventArgs e = await disconnected;
        e.Connection.Identity.Should().Be("CP-1");
        e.Closed.Code.Should().Be(1000);
        e.Closed.ClosedByPeer.Should().BeTrue();
        host.Server.TryGetConnection("CP-1", out _).Should().BeFalse();
        await station.DisposeAsync();
    }

    [Fact]
    public async Task Duplicate_identity_replaces_the_first_connection_which_sees_1008()
    {
        await using TestServer host = await TestServer.StartAsync();
        await using OcppConnection first = await Station.ConnectAsync(host.Url("CP-1"));
        await Await.UntilAsync(() => host.Server.ConnectionCount == 1);
        host.Server.TryGetConnection("CP-1", out OcppConnection? firstOnServer).Should().BeTrue();
        await using OcppConnection second = await Station.ConnectAsync(host.Url("CP-1"));
        OcppClosedEventArgs closed = await first.Completion.WaitAsync(Await.Timeout);
        closed.Code.Should().Be(OcppCloseCodes.PolicyViolation);
        await Await.UntilAsync(() => host.Server.TryGetConnection("CP-1", out OcppConnection? c) && !ReferenceEquals(c, firstOnServer));
        second.State.Should().Be(OcppConnectionState.Open);
        host.Server.ConnectionCount.Should().Be(1);
    }

    [Fact]
    public async Task Duplicate_identity_is_refused_409_when_configured_and_the_first_stays()
    {
        await using TestServer host = await TestServer.StartAsync(OcppServerOptions.Default with { ReplaceDuplicateConnections = false });
        await using OcppConnection first = await Station.ConnectAsync(host.Url("CP-1"));
        await Await.UntilAsync(() => host.Server.ConnectionCount == 1);
        (await Station.ExpectRejectedAsync(host.Url("CP-1"))).Should().Be(409);
        first.State.Should().Be(OcppConnectionState.Open);
        (await Task.WhenAny(first.Completion, Task.Delay(200))).Should().NotBeSameAs(first.Completion);
    }

    [Fact]
    public async Task Beyond_the_connection_limit_the_server_answers_503()
    {
        await using TestServer host = await TestServer.StartAsync(OcppServerOptions.Default with { MaxConnections = 2 });
        await using OcppConnection a = await Station.ConnectAsync(host.Url("CP-A"));
        await using OcppConnection b = await Station.ConnectAsync(host.Url("CP-B"));
        await Await.UntilAsync(() => host.Server.ConnectionCount == 2);
        (await Station.ExpectRejectedAsync(host.Url("CP-C"))).Should().Be(503);
        await a.CloseAsync();
        await Await.UntilAsync(() => host.Server.ConnectionCount == 1);
        await using OcppConnection c = await Station.ConnectAsync(host.Url("CP-C"));
        c.State.Should().Be(OcppConnectionState.Open);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public async Task Message_larger_than_the_limit_closes_the_connection_with_1009(int fragments)
    {
        var options = OcppServerOptions.Default with { Connection = OcppConnectionOptions.Default with { MaxMessageSize = 1024 } };
        await using TestServer host = await TestServer.StartAsync(options);
        Task<OcppStationDisconnectedEventArgs> disconnected = Await.NextDisconnected(host.Server);
        using ClientWebSocket socket = await Station.ConnectSocketAsync(host.Url("CP-1"));
        string big = $$"""[2,"1","DataTransfer",{"vendorId":"x","data":"{{new string('a', 4000)}}"}]""";
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(big);
        int size = (bytes.Length / fragments) + 1;
        for (int offset = 0; offset < bytes.Length; offset += size)
        {
            int count = Math.Min(size, bytes.Length - offset);
            await socket.SendAsync(bytes.AsMemory(offset, count), WebSocketMessageType.Text, offset + count == bytes.Length, CancellationToken.None);
        }

        WebSocketReceiveResult result = await socket.ReceiveAsync(new byte[256], new CancellationTokenSource(Await.Timeout).Token);
        result.MessageType.Should().Be(WebSocketMessageType.Close);
        socket.CloseStatus.Should().Be(WebSocketCloseStatus.MessageTooBig);
        (await disconnected).Closed.Code.Should().Be(1009);
    }
}

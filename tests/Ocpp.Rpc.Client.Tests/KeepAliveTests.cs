using System.Diagnostics;
using Ocpp.Rpc.Client.Tests.Support;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.Client.Tests;

/// <summary>WebSocket ping/pong detects a peer that stops answering, through a TCP proxy that goes silent.</summary>
public sealed class KeepAliveTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan PongTimeout = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task A_silent_peer_is_detected_within_interval_plus_timeout_and_the_client_reconnects()
    {
        await using TestCsms csms = await TestCsms.StartAsync();
        await using var proxy = new FreezingProxy(csms.Port);
        OcppClientOptions options = Clients.For(new Uri($"ws://127.0.0.1:{proxy.Port}/ocpp")) with { KeepAliveInterval = Interval, KeepAliveTimeout = PongTimeout };
        await using var client = new OcppClient(options);
        var disconnected = new TaskCompletionSource<OcppClientDisconnectedEventArgs>();
        client.Disconnected += (_, e) => disconnected.TrySetResult(e);
        await client.ConnectAsync();
        await csms.NextSessionAsync();

        // A healthy link survives several ping rounds.
        await Task.Delay(Interval * 4);
        disconnected.Task.IsCompleted.Should().BeFalse("pongs keep arriving");

        var watch = Stopwatch.StartNew();
        proxy.FreezeAll();
        OcppClientDisconnectedEventArgs lost = await disconnected.Task.Within(5000);
        watch.Stop();

        lost.Code.Should().Be(OcppCloseCodes.Abnormal);
        lost.ClosedByPeer.Should().BeTrue();
        lost.WillReconnect.Should().BeTrue();
        watch.Elapsed.Should().BeLessThan(Interval + PongTimeout + TimeSpan.FromMilliseconds(700), "the dead peer is noticed after at most one interval and one pong timeout (plus scheduling slack)");

        // The next link through the proxy is not frozen: the client is back.
        await csms.NextSessionAsync();
        await Wait.UntilAsync(() => client.State == OcppClientState.Open, "the client reconnected");
        proxy.LinkCount.Should().Be(2);
    }

    [Fact]
    public async Task With_pings_disabled_a_silent_peer_goes_unnoticed()
    {
        await using TestCsms csms = await TestCsms.StartAsync();
        await using var proxy = new FreezingProxy(csms.Port);
        OcppClientOptions options = Clients.For(new Uri($"ws://127.0.0.1:{proxy.Port}/ocpp")) with { KeepAliveInterval = TimeSpan.Zero };
        await using var client = new OcppClient(options);
        await client.ConnectAsync();
        await csms.NextSessionAsync();

        proxy.FreezeAll();
        await Task.Delay(Interval + PongTimeout + TimeSpan.FromMilliseconds(300));

        client.State.Should().Be(OcppClientState.Open, "WebSocketPingInterval 0 disables the station's pings");
        await client.CloseAsync(new OcppCloseOptions { Force = true });
    }
}

using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Client;
using Ocpp.Rpc.Transport;
using Ocpp.Rpc.Samples.Csms;

namespace Ocpp.Rpc.Samples.Tests;

/// <summary>A second connection with the same identity replaces the first; the CSMS must keep showing the station online.</summary>
public sealed class ReplacementTests
{
    [Fact]
    public async Task After_a_replacement_the_old_connections_disconnect_leaves_the_station_online()
    {
        await using CsmsApp csms = await CsmsApp.StartAsync(CsmsOptions.Default with { Port = 0 });
        var endpoint = new Uri($"ws://127.0.0.1:{csms.Port}/ocpp");

        // Subscribed after the sample's own handler, so it runs once the sample has recorded the disconnect.
        var serverSawOldClose = new TaskCompletionSource<OcppConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        csms.Server.StationDisconnected += (_, e) => serverSawOldClose.TrySetResult(e.Connection);

        await using OcppClient first = Station(endpoint);
        var firstClosed = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        first.Disconnected += (_, e) => firstClosed.TrySetResult(e.Code);
        await first.ConnectAsync();
        // The client's handshake completes before the server has raised StationConnected and the sample recorded it.
        await Eventually.TrueAsync(() => csms.State.GetStation("CP-DUP") is { Connected: true }, "the sample to record the station");
        OcppConnection oldConnection = csms.Server.GetConnection("CP-DUP");

        await using OcppClient second = Station(endpoint);
        await second.ConnectAsync();

        (await firstClosed.Task.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(OcppCloseCodes.PolicyViolation, "the new connection replaced it");
        (await serverSawOldClose.Task.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeSameAs(oldConnection);

        OcppConnection current = csms.Server.GetConnection("CP-DUP");
        current.Should().NotBeSameAs(oldConnection);
        StationInfo station = csms.State.GetStation("CP-DUP")!;
        station.Connected.Should().BeTrue("the station is connected, through its new connection");
        station.Connection.Should().BeSameAs(current);
        (await CommandLoop.ExecuteAsync(csms, ["stations"])).Should().ContainSingle().Which.Should().Contain(" online ");

        // The current connection's own disconnect does mark it offline.
        await second.CloseAsync();
        await Eventually.TrueAsync(() => csms.State.GetStation("CP-DUP") is { Connected: false }, "the station to go offline");
        (await CommandLoop.ExecuteAsync(csms, ["stations"])).Should().ContainSingle().Which.Should().Contain(" offline ");
    }

    private static OcppClient Station(Uri endpoint) => new(new OcppClientOptions
    {
        Endpoint = endpoint,
        Identity = "CP-DUP",
        Protocols = [OcppProtocols.Ocpp201],
        Reconnect = OcppReconnectOptions.Disabled,
    });
}

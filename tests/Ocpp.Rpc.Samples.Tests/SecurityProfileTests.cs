using System.Net;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Client;
using Ocpp.Rpc.Samples.ChargePoint;
using Ocpp.Rpc.Samples.Csms;

namespace Ocpp.Rpc.Samples.Tests;

public sealed class SecurityProfileTests
{
    private const string Password = "correct-horse-battery-staple";

    [Fact]
    public async Task Profile_1_refuses_a_wrong_password_and_accepts_the_right_one()
    {
        await using CsmsApp csms = await CsmsApp.StartAsync(CsmsOptions.Default with { Port = 0, Profile = OcppSecurityProfile.BasicAuth, Password = Password, HeartbeatInterval = 1 });
        var endpoint = new Uri($"ws://127.0.0.1:{csms.Port}/ocpp");

        // A plain client sees the HTTP status of the refusal.
        await using var intruder = new OcppClient(new OcppClientOptions { Endpoint = endpoint, Identity = "CP-WRONG", Protocols = [OcppProtocols.Ocpp16] }.WithPassword("not-the-password-at-all"));
        Func<Task> connect = () => intruder.ConnectAsync();
        (await connect.Should().ThrowAsync<OcppConnectException>()).Which.StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        // The simulator keeps retrying and reports why; the station with the right password gets in.
        SimulatorOptions common = SimulatorOptions.Default with { Url = endpoint, Protocol = OcppProtocols.Ocpp201, AutoCharge = false };
        var output = new StringWriter();
        IReadOnlyList<SimulatedStation> stations =
        [
            .. Simulator.CreateStations(common with { Identity = "CP-WRONG-PW", Password = "not-the-password-at-all" }, output),
            .. Simulator.CreateStations(common with { Identity = "CP-RIGHT-PW", Password = Password }, output),
        ];
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Task running = Simulator.RunAsync(stations, duration: null, stop.Token);
        await Eventually.TrueAsync(() => csms.State.GetStation("CP-RIGHT-PW") is { BootStatus: "Accepted" } && stations[0].Stats.LastError is not null, "the right station to boot, the wrong one to be refused");
        await stop.CancelAsync();
        await running;

        stations[0].Stats.LastError.Should().Be("refused: HTTP 401");
        stations[0].Stats.BootStatus.Should().BeNull();
        csms.State.GetStation("CP-WRONG-PW").Should().BeNull();
        csms.State.GetStation("CP-WRONG").Should().BeNull();
        stations[1].Stats.BootStatus.Should().Be("Accepted");
    }
}

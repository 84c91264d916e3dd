using Ocpp.Rpc.Samples.ChargePoint;
using Ocpp.Rpc.Samples.Csms;

namespace Ocpp.Rpc.Samples.Tests;

/// <summary>The Csms sample (strict mode, port 0) with three simulated stations of one OCPP version, end to end.</summary>
public sealed class CsmsWithSimulatorTests
{
    [Theory]
    [InlineData("ocpp1.6")]
    [InlineData("ocpp2.0.1")]
    [InlineData("ocpp2.1")]
    public async Task Stations_boot_heartbeat_charge_and_obey_the_CSMS(string protocol)
    {
        await using CsmsApp csms = await CsmsApp.StartAsync(CsmsOptions.Default with { Port = 0, HeartbeatInterval = 1, Strict = true });
        SimulatorOptions options = SimulatorOptions.Default with
        {
            Url = new Uri($"ws://127.0.0.1:{csms.Port}/ocpp"),
            Identity = "E2E-" + protocol,
            Protocol = protocol,
            Count = 3,
            ChargeDuration = TimeSpan.FromSeconds(2.5),
            MeterInterval = TimeSpan.FromSeconds(0.3),
            IdleDuration = TimeSpan.FromHours(1),
        };
        var output = new StringWriter();
        IReadOnlyList<SimulatedStation> stations = Simulator.CreateStations(options, output);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        Task running = Simulator.RunAsync(stations, duration: null, stop.Token);
        try
        {
            // Every station boots Accepted, heartbeats at the 1 s interval, and completes an automatic session.
            string[] identities = [.. stations.Select(s => s.Identity)];
            await Eventually.TrueAsync(() => identities.All(id => csms.State.GetStation(id) is { BootStatus: "Accepted", Heartbeats: > 0, Protocol: var p } && p == protocol), "boot and heartbeats");
            await Eventually.TrueAsync(() => identities.All(id => csms.State.Transactions.Any(t => t.Identity == id && !t.Active && t.EnergyWh > 0 && t.MeterValues > 1)), "a finished transaction with energy per station");

            // The CSMS drives the first station: configuration, remote start, remote stop, reset.
            string target = identities[0];
            (await csms.Commands.GetConfigurationAsync(target, ["HeartbeatInterval"])).Should().ContainSingle().Which.Should().EndWith("HeartbeatInterval = 1");
            (await csms.Commands.SetConfigurationAsync(target, "HeartbeatInterval", "2")).Should().Be("Accepted");
            (await csms.Commands.SetConfigurationAsync(target, "HeartbeatInterval", "soon")).Should().Be("Rejected");

            (await csms.Commands.RemoteStartAsync(target, "REMOTE-0001")).Should().Be("Accepted");
            // Both sides must know the transaction (a 1.6 station learns its id from the StartTransaction response).
            TransactionInfo remote = await Eventually.GetAsync(
                () => csms.State.GetActiveTransaction(target) is { IdTag: "REMOTE-0001" } t && stations[0].Stats.RemoteStarts == 1 ? t : null, "the remote-started transaction");
            (await csms.Commands.RemoteStopAsync(target)).Should().Be("Accepted");
            await Eventually.TrueAsync(() => csms.State.GetTransaction(target, remote.TransactionId) is { Active: false, StopReason: "Remote" }, "the remote stop");

            // A 2.x OnIdle reset is only Accepted (not Scheduled) once the connector is free again.
            await Eventually.TrueAsync(() => csms.State.GetStation(target)!.Connectors.Values.All(status => status == "Available"), "the connector to be available");

            (await csms.Commands.ResetAsync(target)).Should().Be("Accepted");
            await Eventually.TrueAsync(() => csms.State.GetStation(target) is { Boots: 2, Connected: true }, "the station to boot again after the reset");

            if (protocol != OcppProtocols.Ocpp16)
            {
                (await csms.Commands.GetBaseReportAsync(identities[1])).Should().Be("Accepted");
                await Eventually.TrueAsync(() => csms.State.GetStation(identities[1]) is { ReportParts: 1, ReportedVariables: 2 }, "the NotifyReport");
            }

            if (protocol == OcppProtocols.Ocpp21)
            {
                csms.State.Stations.Should().OnlyContain(s => s.StreamMessages > 0, "2.1 stations send NotifyPeriodicEventStream while charging");
            }

            csms.State.Stations.Should().OnlyContain(s => s.DataTransfers > 0);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        stations.Should().OnlyContain(s => s.Stats.BootStatus == "Accepted" && s.Stats.Transactions >= 1 && s.Stats.EnergyWh > 0, output.ToString());
        stations[0].Stats.RemoteStarts.Should().Be(1);
        stations[0].Stats.RemoteStops.Should().Be(1);
        stations[0].Stats.Resets.Should().Be(1);
        output.ToString().Should().NotContain("call failed");
    }
}

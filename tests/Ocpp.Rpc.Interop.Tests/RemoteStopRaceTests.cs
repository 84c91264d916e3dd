using System.Text.Json;
using Ocpp.Rpc.Interop.Tests.Support;
using Ocpp.Rpc.Samples.ChargePoint;

namespace Ocpp.Rpc.Interop.Tests;

// The race found with ocpp-ws-io (issue 21): its 1.6 server sends RemoteStopTransaction right after its
// StartTransaction.conf, and samples/ChargePoint's Station16 learns the transaction id in the code after
// `await CallAsync`. Before the library's ordering guarantee the stop was Rejected in about half the tries.
public sealed class RemoteStopRaceTests
{
    private const int Sessions = 20;

    [Fact]
    public async Task The_sample_station_accepts_every_remote_stop_sent_right_after_the_start_confirmation()
    {
        await using NodePeer csms = await NodePeer.StartListeningAsync("ocpp-ws-io", "ocpp-ws-io-server.js", "0", "stopAfterStart,acceptDataTransfer");
        SimulatorOptions options = SimulatorOptions.Default with
        {
            Url = new Uri($"ws://127.0.0.1:{csms.Port}/ocpp"),
            Identity = "SAMPLE-RACE",
            Protocol = OcppProtocols.Ocpp16,
            Count = 1,
            ChargeDuration = TimeSpan.FromMinutes(5),
            IdleDuration = TimeSpan.FromMilliseconds(10),
        };
        var output = new StringWriter();
        IReadOnlyList<SimulatedStation> stations = Simulator.CreateStations(options, output);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task running = Simulator.RunAsync(stations, duration: null, stop.Token);
        try
        {
            int answered = 0;
            // Until the 20th answer, or the first one that is not Accepted (a rejected stop leaves that session running).
            await csms.WaitForAsync(
                e => e.Event() is "result" or "error" && e.Str("method") == "RemoteStopTransaction" && (++answered == Sessions || !IsAccepted(e)),
                $"{Sessions} answered remote stops",
                TimeSpan.FromSeconds(45));
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        IReadOnlyList<JsonElement> events = csms.Events;
        JsonElement[] answers = [.. events.Where(e => e.Event() is "result" or "error" && e.Str("method") == "RemoteStopTransaction").Take(Sessions)];
        answers.Should().HaveCount(Sessions).And.OnlyContain(e => IsAccepted(e), output.ToString());

        // On the wire, from ocpp-ws-io's side: each StartTransaction.conf went out right before the stop's CALL.
        JsonElement[] sent = [.. events.Where(e => e.Event() == "out")];
        for (int i = 0; i < sent.Length; i++)
        {
            if (sent[i].Str("method") == "RemoteStopTransaction")
            {
                i.Should().BeGreaterThan(0);
                sent[i - 1].GetProperty("type").GetInt32().Should().Be(3, "the CALLRESULT of StartTransaction precedes the stop");
            }
        }

        stations[0].Stats.RemoteStops.Should().BeGreaterThanOrEqualTo(Sessions);
    }

    private static bool IsAccepted(JsonElement answer) =>
        answer.Event() == "result" && answer.GetProperty("response").GetProperty("status").GetString() == "Accepted";
}

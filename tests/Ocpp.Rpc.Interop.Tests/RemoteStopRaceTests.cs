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
        await using NodePeer csms = await NodePeer.StartListeningAsync("ocpp-ws-io", "ocpp-ws-io-server.js", "0", "stopAfterStart");
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

        // ocpp-ws-io refuses the station's after-boot DataTransfer with NotSupported: an answer, not retried (it used
        // to be retried every 2 s forever, so the station never charged).
        output.ToString().Should().Contain("does not take the after-boot message (NotSupported); not retried");
    }

    private static bool IsAccepted(JsonElement answer) =>
        answer.Event() == "result" && answer.GetProperty("response").GetProperty("status").GetString() == "Accepted";
}

// The same ordering over a real WebSocket through OcppClient: a bare `ws` CSMS writes CALLRESULT then CALL back to
// back 1,000 times (tests/interop/ordering-peer.js).
public sealed class CallResultThenCallOrderingTests
{
    private const int Rounds = 1000;

    [Fact]
    public async Task OcppClient_sees_each_CALLRESULT_before_the_CALL_written_right_after_it()
    {
        await using NodePeer csms = await NodePeer.StartListeningAsync("ws", "ordering-peer.js", Rounds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await using var client = new OcppClient(new OcppClientOptions
        {
            Endpoint = new Uri($"ws://127.0.0.1:{csms.Port}/ocpp"),
            Identity = "ORDERING",
            Protocols = [OcppProtocols.Ocpp16],
        });
        int current = 0;
        client.Handle("RemoteStopTransaction", ctx => new ValueTask<OcppReply>(OcppPayload.FromJson(
            ctx.PayloadElement.GetProperty("transactionId").GetInt32() == Volatile.Read(ref current) ? """{"status":"Accepted"}""" : """{"status":"Rejected"}""")));
        await client.ConnectAsync();

        // The station loop awaits on the thread pool, as firmware does (xunit's context would resume it elsewhere).
        await Task.Run(async () =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                JsonElement started = await client.CallAsync("StartTransaction", OcppPayload.FromJson("""{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"2025-01-01T00:00:00Z"}"""));
                Volatile.Write(ref current, started.GetProperty("transactionId").GetInt32());
            }
        });

        JsonElement done = await csms.WaitForAsync("done");
        done.GetProperty("accepted").GetInt32().Should().Be(Rounds, done.GetRawText());
        done.GetProperty("rejected").GetInt32().Should().Be(0);
    }
}

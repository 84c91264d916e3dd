using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Samples.ChargePoint;

namespace Ocpp.Rpc.Samples.Tests;

/// <summary>
/// The simulator with <c>--store</c> and two <c>--url</c>s (the first one dead): it charges while the CSMS is down, is
/// restarted mid-transaction, and when the CSMS is back the CSMS receives every TransactionEvent once, in order.
/// </summary>
public sealed class DurableQueueScenarioTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ocpp-scenario-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Transaction_messages_survive_a_CSMS_outage_and_a_simulator_restart_and_arrive_once_in_order()
    {
        var events = new ConcurrentQueue<(string TransactionId, string EventType, int SeqNo, string MessageId)>();
        var memory = new OcppDuplicateCallFilter(); // The CSMS's reply memory, kept over its restart.
        OcppServer csms = await StartCsmsAsync(0, memory, events);
        int port = csms.Port!.Value;
        string store = Path.Combine(_dir, "station.db");
        SimulatorOptions options = SimulatorOptions.Parse(
            ["--url", DeadUrl(), "--url", $"ws://127.0.0.1:{port}/ocpp", "--store", store, "--identity", "CP-DURABLE", "--protocol", "ocpp2.0.1",
             "--charge", "600", "--idle", "3600", "--meter-interval", "0.2"]);
        options.FallbackUrls.Should().ContainSingle();

        // 1. Online: the transaction starts and reports meter values.
        var output = new StringWriter();
        IReadOnlyList<SimulatedStation> first = Simulator.CreateStations(options, output);
        using var stopFirst = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task running = Simulator.RunAsync(first, null, stopFirst.Token);
        string transactionId = await Eventually.GetAsync(() => events.FirstOrDefault(e => e.EventType == "Started").TransactionId, "the transaction to start");
        await Eventually.TrueAsync(() => events.Count(e => e.EventType == "Updated") >= 2, "meter values while online");

        // 2. The CSMS goes down: the station goes on charging, its messages wait in the file.
        await csms.DisposeAsync();
        int metersAtOutage = first[0].Stats.MeterValues;
        await Eventually.TrueAsync(() => first[0].Stats.MeterValues >= metersAtOutage + 3, "meter values while the CSMS is down");

        // 3. The simulator is restarted mid-transaction (its stop ends the transaction, offline).
        await stopFirst.CancelAsync();
        await running;
        first[0].Stats.Transactions.Should().Be(1);

        // 4. A new simulator on the same file; then the CSMS comes back.
        IReadOnlyList<SimulatedStation> second = Simulator.CreateStations(options, output);
        using var stopSecond = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task runningAgain = Simulator.RunAsync(second, null, stopSecond.Token);
        csms = await StartCsmsAsync(port, memory, events);
        try
        {
            await Eventually.TrueAsync(() => events.Any(e => e.TransactionId == transactionId && e.EventType == "Ended"), "the queued end of the transaction", TimeSpan.FromSeconds(45));
        }
        finally
        {
            await stopSecond.CancelAsync();
            await runningAgain;
            await csms.DisposeAsync();
        }

        var transaction = events.Where(e => e.TransactionId == transactionId).ToList();
        transaction.Select(e => e.SeqNo).Should().Equal(Enumerable.Range(0, transaction.Count), "every message of the transaction arrived once, in order:\n" + output);
        transaction[0].EventType.Should().Be("Started");
        transaction[^1].EventType.Should().Be("Ended");
        transaction.Count(e => e.EventType == "Updated").Should().BeGreaterThanOrEqualTo(5);
        transaction.Select(e => e.MessageId).Should().OnlyHaveUniqueItems();
    }

    private static async Task<OcppServer> StartCsmsAsync(int port, OcppDuplicateCallFilter memory, ConcurrentQueue<(string, string, int, string)> events)
    {
        var server = new OcppServer(new OcppServerOptions
        {
            Protocols = [OcppProtocols.Ocpp201],
            ShutdownTimeout = TimeSpan.FromMilliseconds(200),
            Connection = OcppConnectionOptions.Default with { CallFilters = [memory] },
        });
        server.RegisterWildcard(context => ValueTask.FromResult(Answer(context, events)));
        await server.ListenAsync(port, IPAddress.Loopback);
        return server;
    }

    private static OcppReply Answer(OcppCallContext context, ConcurrentQueue<(string, string, int, string)> events)
    {
        string now = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        switch (context.Action)
        {
            case "BootNotification":
                return OcppPayload.FromJson($$"""{"currentTime":"{{now}}","interval":300,"status":"Accepted"}""");
            case "Heartbeat":
                return OcppPayload.FromJson($$"""{"currentTime":"{{now}}"}""");
            case "Authorize":
                return OcppPayload.FromJson("""{"idTokenInfo":{"status":"Accepted"}}""");
            case "DataTransfer":
                return OcppPayload.FromJson("""{"status":"Accepted"}""");
            case "TransactionEvent":
                using (JsonDocument request = JsonDocument.Parse(context.Payload))
                {
                    JsonElement root = request.RootElement;
                    events.Enqueue((root.GetProperty("transactionInfo").GetProperty("transactionId").GetString()!, root.GetProperty("eventType").GetString()!, root.GetProperty("seqNo").GetInt32(), context.MessageId));
                }

                return OcppPayload.FromJson("""{"idTokenInfo":{"status":"Accepted"}}""");
            default:
                return OcppReply.Empty;
        }
    }

    private static string DeadUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"ws://127.0.0.1:{port}/ocpp";
    }
}

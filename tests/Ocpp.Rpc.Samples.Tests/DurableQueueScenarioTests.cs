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
    private static int _nextTransactionId;
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
        transaction.Count(e => e.EventType == "Updated").Should().BeGreaterThanOrEqualTo(5, "meter values were sent online and offline:\n" + output);
        transaction.Select(e => e.MessageId).Should().OnlyHaveUniqueItems();
    }

    [Theory]
    [InlineData(OcppProtocols.Ocpp16)]
    [InlineData(OcppProtocols.Ocpp201)]
    [InlineData(OcppProtocols.Ocpp21)]
    public async Task A_transaction_started_while_the_CSMS_is_down_reaches_it_whole_once_in_order_when_it_is_back(string protocol)
    {
        var events = new ConcurrentQueue<(string TransactionId, string EventType, int SeqNo, string MessageId)>();
        var memory = new OcppDuplicateCallFilter();
        OcppServer csms = await StartCsmsAsync(0, memory, events);
        int port = csms.Port!.Value;
        SimulatorOptions options = SimulatorOptions.Parse(
            ["--url", $"ws://127.0.0.1:{port}/ocpp", "--store", Path.Combine(_dir, "offline.db"), "--identity", "CP-OFFLINE", "--protocol", protocol,
             "--charge", "2", "--idle", "3", "--meter-interval", "0.2"]);
        var output = new StringWriter();
        IReadOnlyList<SimulatedStation> stations = Simulator.CreateStations(options, output);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        Task running = Simulator.RunAsync(stations, null, stop.Token);
        try
        {
            // 1. A first transaction online; the CSMS goes down as soon as it ended, during the station's idle time.
            await Eventually.TrueAsync(() => events.Any(e => e.EventType == "Ended"), "the first transaction to end", TimeSpan.FromSeconds(30));
            await csms.DisposeAsync();
            int eventsBefore = events.Count;

            // 2. The next session starts with the CSMS unreachable: locally authorized, everything queued.
            await Eventually.TrueAsync(() => stations[0].Stats.Transactions == 2, "a transaction to start offline:\n" + output, TimeSpan.FromSeconds(30));
            int meters = stations[0].Stats.MeterValues;
            await Eventually.TrueAsync(() => stations[0].Stats.MeterValues >= meters + 3, "offline meter values");
            events.Count.Should().Be(eventsBefore, "nothing reached the CSMS meanwhile");

            // 3. The CSMS is back: the whole offline transaction arrives.
            csms = await StartCsmsAsync(port, memory, events);
            await Eventually.TrueAsync(() => events.Skip(eventsBefore).Any(e => e.EventType == "Ended"), "the offline transaction's end:\n" + output, TimeSpan.FromSeconds(45));
        }
        finally
        {
            await stop.CancelAsync();
            await running;
            await csms.DisposeAsync();
        }

        List<(string TransactionId, string EventType, int SeqNo, string MessageId)> all = [.. events];
        all.Select(e => e.MessageId).Should().OnlyHaveUniqueItems("each message was handled once");
        var offline = all.Skip(all.FindIndex(e => e.EventType == "Ended") + 1).ToList();
        offline[0].EventType.Should().Be("Started", "the offline start comes first:\n" + output);
        string id = offline[0].TransactionId;
        int end = offline.FindIndex(e => e.EventType == "Ended");
        end.Should().BeGreaterThan(3, "the offline meter values come between start and end");
        offline[end].TransactionId.Should().Be(id, "the end names the transaction the start opened");
        offline.Take(end + 1).Skip(1).SkipLast(1).Should().OnlyContain(e => e.EventType == "Updated");
        if (protocol == OcppProtocols.Ocpp16)
        {
            // Queued before the CSMS gave the id, meter values go without it (1.6 allows that); once the queued start
            // is answered (the CSMS may be back before the session ends) they carry it.
            List<string> ids = [.. offline.Skip(1).Take(end - 1).Select(e => e.TransactionId)];
            ids.Should().OnlyContain(tx => tx == "none" || tx == id);
            ids.SkipWhile(tx => tx == "none").All(tx => tx == id).Should().BeTrue("the id, once known, stays: " + string.Join(", ", ids));
            ids[0].Should().Be("none", "the first offline meter value was queued before the CSMS knew the transaction");
        }
        else
        {
            offline.Take(end + 1).Select(e => e.SeqNo).Should().Equal(Enumerable.Range(0, end + 1));
            offline.Take(end + 1).Should().OnlyContain(e => e.TransactionId == id);
        }
    }

    private static async Task<OcppServer> StartCsmsAsync(int port, OcppDuplicateCallFilter memory, ConcurrentQueue<(string, string, int, string)> events)
    {
        var server = new OcppServer(new OcppServerOptions
        {
            Protocols = [OcppProtocols.Ocpp201, OcppProtocols.Ocpp16, OcppProtocols.Ocpp21],
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
                return OcppPayload.FromJson(context.Connection.Protocol == OcppProtocols.Ocpp16 ? """{"idTagInfo":{"status":"Accepted"}}""" : """{"idTokenInfo":{"status":"Accepted"}}""");
            case "DataTransfer":
                return OcppPayload.FromJson("""{"status":"Accepted"}""");
            case "TransactionEvent":
                using (JsonDocument request = JsonDocument.Parse(context.Payload))
                {
                    JsonElement root = request.RootElement;
                    events.Enqueue((root.GetProperty("transactionInfo").GetProperty("transactionId").GetString()!, root.GetProperty("eventType").GetString()!, root.GetProperty("seqNo").GetInt32(), context.MessageId));
                }

                return OcppPayload.FromJson("""{"idTokenInfo":{"status":"Accepted"}}""");
            // 1.6: the CSMS numbers the transactions; events carry SeqNo -1.
            case "StartTransaction":
                int id = Interlocked.Increment(ref _nextTransactionId);
                events.Enqueue((id.ToString(System.Globalization.CultureInfo.InvariantCulture), "Started", -1, context.MessageId));
                return OcppPayload.FromJson($$$"""{"transactionId":{{{id}}},"idTagInfo":{"status":"Accepted"}}""");
            case "MeterValues" when context.Connection.Protocol == OcppProtocols.Ocpp16:
                using (JsonDocument request = JsonDocument.Parse(context.Payload))
                {
                    string tx = request.RootElement.TryGetProperty("transactionId", out JsonElement t) ? t.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) : "none";
                    events.Enqueue((tx, "Updated", -1, context.MessageId));
                }

                return OcppReply.Empty;
            case "StopTransaction":
                using (JsonDocument request = JsonDocument.Parse(context.Payload))
                {
                    events.Enqueue((request.RootElement.GetProperty("transactionId").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), "Ended", -1, context.MessageId));
                }

                return OcppReply.Empty;
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

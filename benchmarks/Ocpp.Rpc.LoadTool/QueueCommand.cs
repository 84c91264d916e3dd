using System.Diagnostics;
using System.Net;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Client;
using Ocpp.Rpc.Sqlite;

namespace Ocpp.Rpc.LoadTool;

/// <summary>
/// The station's transaction-message queue, in-memory against durable (SQLite), with the CSMS on loopback in this
/// process: enqueue + send + ack throughput and latency (one message at a time, and all enqueued at once), then the
/// recovery time of a store holding <c>--recover</c> queued messages (open the file + load the queue).
/// </summary>
internal static class QueueCommand
{
    public static async Task<int> RunAsync(Args args, CancellationToken cancellationToken)
    {
        int messages = args.Int("messages", 5000);
        int warmup = args.Int("warmup", 500);
        int recover = args.Int("recover", 10_000);
        bool flush = args.Flag("flush");
        string folder = Directory.CreateTempSubdirectory("ocpp-queue-bench-").FullName;
        try
        {
            await using var server = new OcppServer(new OcppServerOptions { Protocols = [OcppProtocols.Ocpp16] });
            server.Register(null, "MeterValues", _ => ValueTask.FromResult(OcppReply.Empty));
            await server.ListenAsync(0, IPAddress.Loopback);
            var endpoint = new Uri($"ws://127.0.0.1:{server.Port}/ocpp");
            Console.WriteLine($"queue benchmark: {messages} messages after {warmup} warm-up, recovery of {recover}; SQLite synchronous={(flush ? "FULL" : "NORMAL")}");
            Console.WriteLine("store      mode        msg/s    p50 ms   p99 ms");
            foreach (bool durable in new[] { false, true })
            {
                string name = durable ? "sqlite" : "in-memory";
                SqliteOcppMessageStore? sqlite = durable ? SqliteOcppMessageStore.Open(Path.Combine(folder, "run.db"), new SqliteMessageStoreOptions { FlushEveryCommit = flush }) : null;
                try
                {
                    await using var client = new OcppClient(Options(endpoint, "BENCH-" + name, sqlite));
                    await client.ConnectAsync(cancellationToken);
                    await SequentialAsync(client, warmup, cancellationToken);
                    (double rate, double p50, double p99) = await SequentialAsync(client, messages, cancellationToken);
                    Console.WriteLine($"{name,-10} one-by-one {rate,8:0} {p50,9:0.000} {p99,8:0.000}");
                    (rate, p50, p99) = await BurstAsync(client, messages, cancellationToken);
                    Console.WriteLine($"{name,-10} burst      {rate,8:0} {p50,9:0.000} {p99,8:0.000}");
                }
                finally
                {
                    sqlite?.Dispose();
                }
            }

            await RecoveryAsync(Path.Combine(folder, "recover.db"), endpoint, recover, flush, cancellationToken);
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // Each message enqueued, then awaited until the CSMS answered and the store recorded it: the latency of one.
    private static async Task<(double Rate, double P50, double P99)> SequentialAsync(OcppClient client, int count, CancellationToken cancellationToken)
    {
        var latencies = new double[count];
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < count; i++)
        {
            long t = Stopwatch.GetTimestamp();
            OcppMessageHandle handle = await client.EnqueueAsync("MeterValues", Payload(i), cancellationToken);
            await handle.Completion.WaitAsync(cancellationToken);
            latencies[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        }

        return Summarize(latencies, Stopwatch.GetElapsedTime(started));
    }

    // All enqueued as fast as the store takes them, the queue draining meanwhile: throughput; latency from enqueue to ack.
    private static async Task<(double Rate, double P50, double P99)> BurstAsync(OcppClient client, int count, CancellationToken cancellationToken)
    {
        var latencies = new double[count];
        var pending = new Task[count];
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < count; i++)
        {
            long t = Stopwatch.GetTimestamp();
            OcppMessageHandle handle = await client.EnqueueAsync("MeterValues", Payload(i), cancellationToken);
            int index = i;
            pending[i] = handle.Completion.ContinueWith(_ => latencies[index] = Stopwatch.GetElapsedTime(t).TotalMilliseconds, TaskScheduler.Default);
        }

        await Task.WhenAll(pending).WaitAsync(cancellationToken);
        return Summarize(latencies, Stopwatch.GetElapsedTime(started));
    }

    // A station that went down with `count` messages queued: the time from opening the file to a loaded queue.
    private static async Task RecoveryAsync(string path, Uri endpoint, int count, bool flush, CancellationToken cancellationToken)
    {
        var options = new SqliteMessageStoreOptions { FlushEveryCommit = flush };
        using (SqliteOcppMessageStore store = SqliteOcppMessageStore.Open(path, options))
        {
            byte[] payload = System.Text.Encoding.UTF8.GetBytes(Json(0));
            for (int i = 0; i < count; i++)
            {
                await store.EnqueueAsync(Guid.NewGuid().ToString("N"), "MeterValues", payload, cancellationToken);
            }
        }

        long started = Stopwatch.GetTimestamp();
        using (SqliteOcppMessageStore store = SqliteOcppMessageStore.Open(path, options))
        {
            await using var client = new OcppClient(Options(endpoint, "BENCH-RECOVER", store));
            IReadOnlyList<OcppMessageHandle> queued = await client.GetQueuedMessagesAsync(cancellationToken);
            TimeSpan recovered = Stopwatch.GetElapsedTime(started);
            Console.WriteLine($"recovery: {queued.Count} queued messages loaded in {recovered.TotalMilliseconds:0.0} ms (open with integrity check + load)");
            if (queued.Count != count)
            {
                throw new InvalidOperationException($"Expected {count} queued messages, found {queued.Count}.");
            }
        }
    }

    private static OcppClientOptions Options(Uri endpoint, string identity, IOcppMessageStore? store) => new()
    {
        Endpoint = endpoint,
        Identity = identity,
        Protocols = [OcppProtocols.Ocpp16],
        KeepAliveInterval = TimeSpan.Zero,
        MessageQueue = new OcppMessageQueueOptions { Store = store, MaxQueuedMessages = 1_000_000 },
    };

    private static string Json(int i) => $$"""{"connectorId":1,"transactionId":42,"meterValue":[{"timestamp":"2025-01-01T00:00:00Z","sampledValue":[{"value":"{{i}}"}]}]}""";

    private static OcppPayload Payload(int i) => OcppPayload.FromJson(Json(i));

    private static (double Rate, double P50, double P99) Summarize(double[] latencies, TimeSpan elapsed)
    {
        Array.Sort(latencies);
        return (latencies.Length / elapsed.TotalSeconds, latencies[latencies.Length / 2], latencies[Math.Min(latencies.Length - 1, (int)(latencies.Length * 0.99))]);
    }
}

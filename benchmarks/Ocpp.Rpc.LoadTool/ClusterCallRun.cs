using System.Diagnostics;
using System.Text.Json;
using Ocpp.Rpc.Clustering;

namespace Ocpp.Rpc.LoadTool;

/// <summary>
/// CSMS-to-station calls through <see cref="IOcppCluster.CallAsync"/>, W in flight, for a fixed time after a warm-up:
/// a 1.6 DataTransfer <c>{"vendorId":"bench"}</c> to one station. Local when the station's socket is on this node,
/// routed through the backplane when it is on another. One JSON line: calls/s, p50/p99, errors, and every call answered
/// from the start of the warm-up to the last worker's end (<c>allCalls</c>, for CPU per call over the whole command).
/// </summary>
internal static class ClusterCallRun
{
    private static readonly byte[] Request = """{"vendorId":"bench"}"""u8.ToArray();

    public static async Task<string> RunAsync(IOcppCluster cluster, string identity, int window, double duration, double warmup, CancellationToken stop)
    {
        bool local = cluster.TryGetLocal(identity, out _);
        var run = new ClientCommand.Run();
        OcppPayload payload = OcppPayload.FromUtf8Json(Request);
        Task[] workers = [.. Enumerable.Range(0, window).Select(_ => Task.Run(() => WorkerAsync(cluster, identity, payload, run), stop))];
        await Task.Delay(TimeSpan.FromSeconds(warmup), stop);
        long c0 = Interlocked.Read(ref run.Completed);
        long e0 = Interlocked.Read(ref run.Errors);
        var watch = Stopwatch.StartNew();
        Volatile.Write(ref run.Measuring, true);
        await Task.Delay(TimeSpan.FromSeconds(duration), stop);
        Volatile.Write(ref run.Measuring, false);
        double elapsed = watch.Elapsed.TotalSeconds;
        long calls = Interlocked.Read(ref run.Completed) - c0;
        long errors = Interlocked.Read(ref run.Errors) - e0;
        Volatile.Write(ref run.Stopping, true);
        await Task.WhenAny(Task.WhenAll(workers), Task.Delay(10_000, stop));
        long allCalls = Interlocked.Read(ref run.Completed);
        double[] latencies = run.Latencies();
        Array.Sort(latencies);
        return JsonSerializer.Serialize(new
        {
            client = "Ocpp.Rpc cluster",
            node = cluster.NodeId,
            local,
            callsPerSec = Math.Round(calls / elapsed),
            p50Ms = Percentile(latencies, 0.50) is { } p50 ? Math.Round(p50, 4) : (double?)null,
            p99Ms = Percentile(latencies, 0.99) is { } p99 ? Math.Round(p99, 4) : (double?)null,
            errors,
            window,
            duration,
            calls,
            allCalls,
            firstError = run.FirstError,
        });
    }

    private static async Task WorkerAsync(IOcppCluster cluster, string identity, OcppPayload payload, ClientCommand.Run run)
    {
        List<double> log = run.NewLog();
        while (!Volatile.Read(ref run.Stopping))
        {
            long started = Stopwatch.GetTimestamp();
            try
            {
                await cluster.CallAsync(identity, "DataTransfer", payload);
                Interlocked.Increment(ref run.Completed);
                if (Volatile.Read(ref run.Measuring))
                {
                    log.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref run.Errors);
                run.FirstError ??= ex.GetType().Name + ": " + ex.Message;
                await Task.Delay(10);
            }
        }
    }

    private static double? Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? null : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}

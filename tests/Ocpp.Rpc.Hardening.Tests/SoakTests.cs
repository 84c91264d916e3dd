using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Client;
using Ocpp.Rpc.Clustering;
using Ocpp.Rpc.Hardening.Tests.Support;
using Ocpp.Rpc.Transport;
using Xunit.Abstractions;

namespace Ocpp.Rpc.Hardening.Tests;

/// <summary>
/// Item 4: a bounded soak. 300 real stations (OcppClient) on a real OcppServer, 20,000 calls in both directions,
/// with churn throughout (stations closing and reconnecting, the server dropping or closing links). Only the errors
/// churn explains may occur, every answer matches its request, and afterwards every connection object is garbage
/// and memory and handles are back at the baseline.
/// </summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    private const int Stations = 300;
    private const int CallsPerDirection = 10_000;
    private const int WorkersPerDirection = 24;

    // The soak lasts at least this long (and at least the call counts above); a fast machine makes more calls.
    private static readonly TimeSpan MinimumDuration = TimeSpan.FromSeconds(15);
    private const int MaxCallsPerDirection = 150_000;

    [Fact]
    public async Task Three_hundred_stations_20000_calls_both_ways_with_churn_then_back_to_baseline()
    {
        using var watch = new ProcessWatch();
        var connections = new ConcurrentBag<WeakReference>();

        // Warm up (JIT, pools, thread pool) with a small run of the same parts, then take the baseline.
        await RunAsync(stations: 10, callsPerDirection: 200, churn: false, watch, connections, log: false, TimeSpan.Zero);
        connections.Clear();
        long memoryBefore = Resources.ManagedMemory();
        int handlesBefore = Resources.OpenHandles();

        var clock = Stopwatch.StartNew();
        await RunAsync(Stations, CallsPerDirection, churn: true, watch, connections, log: true, MinimumDuration);
        output.WriteLine($"soak took {clock.Elapsed.TotalSeconds:0.0} s");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));

        // Every connection object of both sides (600 at least, more with churn) becomes garbage.
        int alive = await Resources.CountAliveAsync([.. connections], TimeSpan.FromSeconds(15));
        output.WriteLine($"{connections.Count} connection objects, {alive} still alive");
        alive.Should().Be(0, "nothing keeps a closed connection reachable");

        // Tolerances. Legitimately retained after the run: ArrayPool.Shared buffers (frame and receive buffers are
        // pooled; the pool keeps some per core), the thread pool grown under load, and runtime caches. A leak of
        // per-call state (20,000 calls at a few hundred bytes each) or per-connection state (600+ connections with
        // 4 KiB buffers, sockets, Kestrel contexts) is several MB; 6 MB sits between. Handles: 600+ sockets were
        // opened; the runtime may keep a few descriptors (epoll, eventfd, timers) for threads it added: 30.
        long memoryAfter = await Resources.SettleAsync(Resources.ManagedMemory, memoryBefore + (6 << 20), TimeSpan.FromSeconds(10));
        int handlesAfter = (int)await Resources.SettleAsync(() => Resources.OpenHandles(), handlesBefore + 30, TimeSpan.FromSeconds(10));
        output.WriteLine($"memory {memoryBefore / 1024} KiB -> {memoryAfter / 1024} KiB; handles {handlesBefore} -> {handlesAfter}");
        memoryAfter.Should().BeLessThanOrEqualTo(memoryBefore + (6 << 20));
        handlesAfter.Should().BeLessThanOrEqualTo(handlesBefore + 30);
        watch.AssertClean();
    }

    private async Task RunAsync(int stations, int callsPerDirection, bool churn, ProcessWatch watch, ConcurrentBag<WeakReference> connections, bool log, TimeSpan minimumDuration)
    {
        var options = OcppServerOptions.Default with
        {
            KeepAliveInterval = TimeSpan.Zero,
            Connection = OcppConnectionOptions.Default with { CallTimeout = TimeSpan.FromSeconds(20), LoggerFactory = watch.LoggerFactory },
        };
        OcppServer server = await Servers.StartAsync(options, setup: s => s.Handle("Work", ctx => new ValueTask<OcppReply>(ctx.PayloadElement)));
        server.StationConnected += (_, e) => connections.Add(new WeakReference(e.Connection));
        var clients = new OcppClient[stations];
        try
        {
            for (int i = 0; i < stations; i++)
            {
                var client = new OcppClient(Servers.Client(server.Endpoint(), $"SOAK-{i:000}") with
                {
                    Reconnect = OcppReconnectOptions.Default with { WaitMinimum = TimeSpan.FromMilliseconds(50), RandomRange = TimeSpan.FromMilliseconds(200), RepeatTimes = 2 },
                    Connection = OcppConnectionOptions.Default with { CallTimeout = TimeSpan.FromSeconds(20), LoggerFactory = watch.LoggerFactory },
                });
                client.Handle("Ping", ctx => new ValueTask<OcppReply>(ctx.PayloadElement));
                client.Connected += (_, e) => connections.Add(new WeakReference(e.Connection));
                clients[i] = client;
            }

            foreach (OcppClient[] batch in clients.Chunk(50))
            {
                await Task.WhenAll(batch.Select(c => c.ConnectAsync())).Within(TimeSpan.FromSeconds(60), "the stations connect");
            }

            await Eventually.HoldsAsync(() => server.ConnectionCount == stations, "every station is connected");

            var outcomes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            var unexpected = new ConcurrentQueue<Exception>();
            int upIssued = 0, downIssued = 0, churned = 0;
            var running = Stopwatch.StartNew();
            bool More(int n) => n <= MaxCallsPerDirection && (n <= callsPerDirection || running.Elapsed < minimumDuration);
            using var stopChurn = new CancellationTokenSource();

            // Station -> server: the answer must be the station's own request echoed back.
            Task[] up = [.. Enumerable.Range(0, WorkersPerDirection).Select(w => Task.Run(async () =>
            {
                var random = new Random(w);
                int n;
                while (More(n = Interlocked.Increment(ref upIssued)))
                {
                    OcppClient client = clients[random.Next(stations)];
                    await Outcome("up", outcomes, unexpected, async () =>
                    {
                        JsonElement echo = await client.CallAsync("Work", OcppPayload.FromJson($$"""{"n":{{n}},"s":"{{client.Identity}}"}"""));
                        echo.GetProperty("n").GetInt32().Should().Be(n);
                        echo.GetProperty("s").GetString().Should().Be(client.Identity);
                    });
                }
            }))];

            // Server -> station by identity.
            Task[] down = [.. Enumerable.Range(0, WorkersPerDirection).Select(w => Task.Run(async () =>
            {
                var random = new Random(1000 + w);
                int n;
                while (More(n = Interlocked.Increment(ref downIssued)))
                {
                    string identity = $"SOAK-{random.Next(stations):000}";
                    await Outcome("down", outcomes, unexpected, async () =>
                    {
                        JsonElement echo = await server.CallAsync(identity, "Ping", OcppPayload.FromJson($$"""{"n":{{n}}}"""));
                        echo.GetProperty("n").GetInt32().Should().Be(n);
                    });
                }
            }))];

            // Churn: a station closes and reconnects, or the server drops its link (reset) or closes it (1000).
            Task churner = Task.Run(async () =>
            {
                var random = new Random(7);
                while (churn && !stopChurn.IsCancellationRequested)
                {
                    OcppClient client = clients[random.Next(stations)];
                    try
                    {
                        switch (random.Next(3))
                        {
                            case 0:
                                await client.CloseAsync(new OcppCloseOptions { AwaitPending = random.Next(2) == 0 });
                                await client.ConnectAsync();
                                break;
                            case 1 when server.TryGetConnection(client.Identity, out OcppConnection? c):
                                await c.CloseAsync(new OcppCloseOptions { Force = true });
                                break;
                            case 2 when server.TryGetConnection(client.Identity, out OcppConnection? c):
                                await c.CloseAsync(new OcppCloseOptions { Code = OcppCloseCodes.Normal, AwaitPending = false });
                                break;
                        }

                        churned++;
                    }
                    catch (Exception ex)
                    {
                        unexpected.Enqueue(ex);
                    }

                    await Task.Delay(random.Next(5, 25));
                }
            });

            await Task.WhenAll([.. up, .. down]).Within(TimeSpan.FromSeconds(90), "every call ends");
            await stopChurn.CancelAsync();
            await churner.Within(TimeSpan.FromSeconds(30), "churn stops");
            if (log)
            {
                output.WriteLine($"{stations} stations, {running.Elapsed.TotalSeconds:0.0} s of calls, {churned} churn events; " + string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}")));
            }

            unexpected.Should().BeEmpty("only churn errors (closed, not connected, closing) may occur");
            outcomes.Where(o => o.Key.EndsWith(":ok", StringComparison.Ordinal)).Sum(o => o.Value).Should().BeGreaterThan(callsPerDirection, "most calls succeed despite the churn");
            outcomes.Keys.Should().OnlyContain(k => k.EndsWith(":ok", StringComparison.Ordinal) || churn, "without churn every call succeeds");
            await Eventually.HoldsAsync(() => clients.All(c => c.State == OcppClientState.Open) && server.ConnectionCount == stations, "every station is back after the churn", TimeSpan.FromSeconds(30));
        }
        finally
        {
            await Task.WhenAll(clients.Where(c => c is not null).Select(c => c.DisposeAsync().AsTask())).Within(TimeSpan.FromSeconds(60), "the stations close");
            await server.DisposeAsync();
        }
    }

    // Success, or an error churn explains: the link closed under the call, the station was not connected, or it was
    // closing and refused the call.
    private static async Task Outcome(string direction, ConcurrentDictionary<string, int> outcomes, ConcurrentQueue<Exception> unexpected, Func<Task> call)
    {
        string result;
        try
        {
            await call();
            result = "ok";
        }
        catch (Exception ex) when (ex is OcppConnectionClosedException or OcppStationNotConnectedException)
        {
            result = ex.GetType().Name;
        }
        catch (OcppGenericErrorException ex) when (ex.Description == "The connection is closing.")
        {
            // A station closing gracefully refuses new inbound calls with GenericError (documented).
            result = "GenericError(closing)";
        }
        catch (Exception ex)
        {
            unexpected.Enqueue(ex);
            result = "unexpected";
        }

        outcomes.AddOrUpdate($"{direction}:{result}", 1, (_, c) => c + 1);
    }
}

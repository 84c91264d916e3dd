using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Client;
using Ocpp.Rpc.Hardening.Tests.Support;
using Xunit.Abstractions;

namespace Ocpp.Rpc.Hardening.Tests;

/// <summary>Item 3: peers that vanish, a server restart under hundreds of stations, slow consumers, close while reconnecting.</summary>
public sealed class FaultTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Peer_reset_mid_call_fails_the_call_cancels_the_handler_and_leaks_nothing_200_times()
    {
        const int rounds = 200;
        const int warmUp = 20;
        using var watch = new ProcessWatch();
        var started = new ConcurrentDictionary<string, TaskCompletionSource>();
        var cancelled = new ConcurrentDictionary<string, TaskCompletionSource>();
        var connections = new ConcurrentBag<WeakReference>();

        // No keep-alive and a long call timeout: only the TCP reset can end these calls within the bound.
        var options = OcppServerOptions.Default with
        {
            KeepAliveInterval = TimeSpan.Zero,
            Connection = OcppConnectionOptions.Default with { CallTimeout = TimeSpan.FromSeconds(60), LoggerFactory = watch.LoggerFactory },
        };
        await using OcppServer server = await Servers.StartAsync(options, setup: s => s.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppReply.Empty)));
        server.Handle("Block", async ctx =>
        {
            started.GetOrAdd(ctx.Identity, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                cancelled.GetOrAdd(ctx.Identity, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                throw;
            }

            return OcppReply.Empty;
        });
        server.StationConnected += (_, e) => connections.Add(new WeakReference(e.Connection));
        int port = server.Port!.Value;
        await using Bystander bystander = await Bystander.StartAsync(server.Endpoint());

        long memoryBefore = 0;
        int handlesBefore = 0;
        var worst = TimeSpan.Zero;
        for (int i = 0; i < rounds; i++)
        {
            if (i == warmUp)
            {
                memoryBefore = Resources.ManagedMemory();
                handlesBefore = Resources.OpenHandles();
            }

            string id = $"VANISH-{i}";
            RawWebSocket station = await RawWebSocket.ConnectAsync(port, "/ocpp/" + id, OcppProtocols.Ocpp16);
            await station.SendTextAsync("""[2,"b1","Block",{}]""");
            await started.GetOrAdd(id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task.Within(Bounded, "the station's CALL reaches its handler");
            OcppConnection serverSide = server.GetConnection(id);
            Task<JsonElement> call = server.CallAsync(id, "GetConfiguration");
            RawMessage arrived = await station.ReceiveMessageAsync(Bounded);
            arrived.Text.Should().StartWith("[2,", "the server's CALL is in flight at the station");
            Internals.Tables(serverSide).Should().Be((1, 1), "one call each way is in flight");

            var clock = Stopwatch.StartNew();
            station.Reset();
            await call.Invoking(c => c.Within(Bounded, "the in-flight call fails")).Should().ThrowAsync<OcppConnectionClosedException>();
            await cancelled.GetOrAdd(id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task.Within(Bounded, "the station's handler is cancelled");
            await Eventually.HoldsAsync(() => !server.Connections.ContainsKey(id), "the server forgets the station", Bounded);
            worst = clock.Elapsed > worst ? clock.Elapsed : worst;
            await Eventually.HoldsAsync(() => Internals.Tables(serverSide) == (0, 0), "no pending entries are left behind", Bounded);
            serverSide.State.Should().Be(OcppConnectionState.Closed);
            await station.DisposeAsync();
        }

        output.WriteLine($"worst detection + cleanup: {worst.TotalMilliseconds:0} ms");
        server.ConnectionCount.Should().Be(1, "only the bystander is left");
        (await bystander.StopAsync()).Should().BeGreaterThan(0);
        bystander.Failures.Should().BeEmpty();

        // Every server-side connection object becomes garbage: nothing (table, cluster, event, timer) keeps one.
        // The bystander's is the only live one.
        int alive = await Resources.CountAliveAsync([.. connections], TimeSpan.FromSeconds(10), atMost: 1);
        alive.Should().BeLessThanOrEqualTo(1, "no connection of a vanished station may stay reachable");

        // Tolerances: 180 leaked connections (socket, engine, buffers, Kestrel context) would be several MB and 180
        // descriptors. What legitimately remains is pooled: ArrayPool and Kestrel's memory pool keep buffers, the
        // thread pool may have grown (descriptors for its own use). 4 MB and 20 handles sit well between the two.
        long memoryAfter = await Resources.SettleAsync(Resources.ManagedMemory, memoryBefore + (4 << 20), TimeSpan.FromSeconds(5));
        int handlesAfter = (int)await Resources.SettleAsync(() => Resources.OpenHandles(), handlesBefore + 20, TimeSpan.FromSeconds(5));
        output.WriteLine($"memory {memoryBefore / 1024} KiB -> {memoryAfter / 1024} KiB, handles {handlesBefore} -> {handlesAfter}");
        memoryAfter.Should().BeLessThanOrEqualTo(memoryBefore + (4 << 20));
        handlesAfter.Should().BeLessThanOrEqualTo(handlesBefore + 20);
        watch.AssertClean();
    }

    [Fact]
    public async Task Server_restart_under_200_stations_loses_no_accepted_call_and_reconnects_are_jittered()
    {
        const int stations = 200;
        var waitMinimum = TimeSpan.FromMilliseconds(200);
        var randomRange = TimeSpan.FromSeconds(1);
        using var watch = new ProcessWatch();
        var seen = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var arrivals = new ConcurrentDictionary<string, double>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var options = OcppServerOptions.Default with
        {
            KeepAliveInterval = TimeSpan.Zero,
            Connection = OcppConnectionOptions.Default with { LoggerFactory = watch.LoggerFactory },
        };
        OcppCallHandler work = ctx =>
        {
            JsonElement p = ctx.PayloadElement;
            seen.AddOrUpdate($"{p.GetProperty("s").GetString()}:{p.GetProperty("n").GetInt32()}", 1, (_, c) => c + 1);
            return new ValueTask<OcppReply>(p);
        };
        OcppServer server = await Servers.StartAsync(options, setup: s => s.Handle("Work", work));
        int port = server.Port!.Value;

        var clients = new OcppClient[stations];
        for (int i = 0; i < stations; i++)
        {
            clients[i] = new OcppClient(Servers.Client(server.Endpoint(), $"CP-{i:000}") with
            {
                Reconnect = OcppReconnectOptions.Default with { WaitMinimum = waitMinimum, RandomRange = randomRange, RepeatTimes = 2 },
                Connection = OcppConnectionOptions.Default with { CallTimeout = TimeSpan.FromSeconds(20), LoggerFactory = watch.LoggerFactory },
            });
        }

        // When each station schedules its attempts: the Reconnecting event's time plus the drawn delay.
        var scheduled = new ConcurrentDictionary<string, double>(StringComparer.Ordinal);
        foreach (OcppClient c in clients)
        {
            c.Reconnecting += (_, e) => scheduled[c.Identity] = clock.Elapsed.TotalSeconds + e.Delay.TotalSeconds;
        }

        await Task.WhenAll(clients.Select(c => c.ConnectAsync())).Within(TimeSpan.FromSeconds(60), "200 stations connect");
        await Eventually.HoldsAsync(() => server.ConnectionCount == stations, "all stations are connected");

        // Each station calls continuously; every call ends as a success or a clear exception to its caller.
        var outcomes = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var unexpected = new ConcurrentQueue<Exception>();
        using var stop = new CancellationTokenSource();
        Task[] loops = [.. clients.Select((client, i) => Task.Run(async () =>
        {
            var random = new Random(i);
            for (int n = 0; !stop.IsCancellationRequested; n++)
            {
                string key = $"{client.Identity}:{n}";
                try
                {
                    await client.CallAsync("Work", OcppPayload.FromJson($$"""{"s":"{{client.Identity}}","n":{{n}}}"""));
                    outcomes[key] = "ok";
                }
                catch (Exception ex) when (ex is OcppConnectionClosedException or OcppCallTimeoutException or OcppCallQueueFullException or OcppRpcException)
                {
                    outcomes[key] = ex.GetType().Name;
                }
                catch (Exception ex)
                {
                    outcomes[key] = "unexpected";
                    unexpected.Enqueue(ex);
                }

                await Task.Delay(random.Next(200, 400));
            }
        }))];

        await Task.Delay(1500);
        int okBefore = outcomes.Values.Count(v => v == "ok");
        double restartAt = clock.Elapsed.TotalSeconds;
        await server.DisposeAsync();
        server = await Servers.StartAsync(options, port, s =>
        {
            s.Handle("Work", work);
            s.StationConnected += (_, e) => arrivals.TryAdd(e.Connection.Identity, clock.Elapsed.TotalSeconds - restartAt);
        });
        try
        {
            await Eventually.HoldsAsync(() => arrivals.Count == stations && server.ConnectionCount == stations, "every station comes back", TimeSpan.FromSeconds(30));
            int okAtReturn = outcomes.Values.Count(v => v == "ok");
            await Eventually.HoldsAsync(() => outcomes.Values.Count(v => v == "ok") >= okAtReturn + stations, "calls flow again after the restart");
            await stop.CancelAsync();
            await Task.WhenAll(loops).Within(TimeSpan.FromSeconds(60), "every caller gets an outcome");

            // Reconnects are jittered: the successful attempts were scheduled over the random range, never a
            // thundering herd. (Server-side arrival times are only logged: a slow restart of the server under load
            // bunches the early attempts at the moment it starts accepting, whatever the clients did.)
            double[] plan = [.. scheduled.Values.Select(v => v - restartAt).Order()];
            double[] seenAt = [.. arrivals.Values.Order()];
            int densest = plan.Max(a => plan.Count(b => b >= a && b < a + 0.1));
            output.WriteLine($"attempts scheduled after restart: {Describe(plan)}; densest 100 ms window {densest}");
            output.WriteLine($"arrivals at the new server: {Describe(seenAt)}");
            plan.Should().HaveCount(stations);
            densest.Should().BeLessThan(stations / 4, "no 100 ms window holds a quarter of the attempts (uniform over RandomRange: about 5 %)");
            (Percentile(plan, 0.9) - Percentile(plan, 0.1)).Should().BeGreaterThan(0.4 * randomRange.TotalSeconds, "attempts spread over RandomRange (uniform: 0.8 of it)");

            // Reconcile: every call the server's handler saw was executed once and answered to its caller; every
            // success was seen by the server; every failure is one of the clear exceptions.
            var counts = outcomes.Values.GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
            output.WriteLine($"{outcomes.Count} calls, {okBefore} ok before the restart; outcomes: " + string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}")) + $"; server saw {seen.Count}");
            unexpected.Should().BeEmpty();
            seen.Values.Should().OnlyContain(c => c == 1, "no call is executed twice");
            seen.Keys.Should().OnlyContain(k => outcomes.ContainsKey(k), "the server only saw calls that were made");
            seen.Keys.Where(k => outcomes[k] != "ok").Should().BeEmpty("a graceful restart answers every call the server accepted");
            outcomes.Where(o => o.Value == "ok").Select(o => o.Key).Should().OnlyContain(k => seen.ContainsKey(k), "a success was handled by the server");
            watch.AssertClean();
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask())).Within(TimeSpan.FromSeconds(60), "the stations close");
            await server.DisposeAsync();
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[(int)Math.Min(sorted.Length - 1, p * sorted.Length)];

    private static string Describe(double[] t) =>
        $"first {t[0]:0.000} s, p10 {Percentile(t, 0.1):0.000}, median {Percentile(t, 0.5):0.000}, p90 {Percentile(t, 0.9):0.000}, last {t[^1]:0.000}";

    [Fact]
    public async Task Links_dropped_while_large_calls_are_being_sent_leave_no_unobserved_task_exception()
    {
        using var watch = new ProcessWatch();
        var random = new Random(5);
        var options = OcppServerOptions.Default with
        {
            KeepAliveInterval = TimeSpan.Zero,
            Connection = OcppConnectionOptions.Default with { MaxMessageSize = 4 << 20, LoggerFactory = watch.LoggerFactory },
        };
        await using OcppServer server = await Servers.StartAsync(options, setup: s => s.Handle("DataTransfer", _ => new ValueTask<OcppReply>(OcppReply.Empty)));

        // The server drops each new link after a random moment, while the station is busy sending large calls.
        int links = 0;
        server.StationConnected += (_, e) =>
        {
            int after;
            lock (random)
            {
                // The first link lives long enough for ConnectAsync to read the 101 (a reset discards it).
                after = Interlocked.Increment(ref links) == 1 ? 300 : random.Next(5, 60);
            }

            _ = Task.Delay(after).ContinueWith(_ => e.Connection.CloseAsync(new OcppCloseOptions { Force = true }), TaskScheduler.Default);
        };
        OcppPayload big = OcppPayload.FromJson($$"""{"vendorId":"x","data":"{{new string('x', 2 << 20)}}"}""");
        await using var client = new OcppClient(Servers.Client(server.Endpoint(), "CP-BIG") with { MaxQueuedCalls = 1000 });
        await client.ConnectAsync();
        int ok = 0, closed = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(4))
        {
            Task[] burst = [.. Enumerable.Range(0, 4).Select(async _ =>
            {
                try
                {
                    await client.CallAsync("DataTransfer", big);
                    Interlocked.Increment(ref ok);
                }
                catch (OcppConnectionClosedException)
                {
                    Interlocked.Increment(ref closed);
                }
            })];
            await Task.WhenAll(burst).Within(TimeSpan.FromSeconds(30), "a burst of calls ends");
        }

        output.WriteLine($"{links} links, {ok} calls ok, {closed} failed as closed");
        closed.Should().BeGreaterThan(0, "links were dropped under the calls");
        watch.AssertClean();
    }

    [Fact]
    public async Task Station_that_stops_reading_while_the_server_calls_it_is_dropped_and_memory_stays_bounded()
    {
        using var watch = new ProcessWatch();
        var options = OcppServerOptions.Default with
        {
            KeepAliveInterval = TimeSpan.FromMilliseconds(500),
            KeepAliveTimeout = TimeSpan.FromSeconds(1),
            Connection = OcppConnectionOptions.Default with { CallTimeout = TimeSpan.FromSeconds(1), MaxQueuedCalls = 50, LoggerFactory = watch.LoggerFactory },
        };
        await using OcppServer server = await Servers.StartAsync(options, setup: s => s.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppReply.Empty)));
        await using Bystander bystander = await Bystander.StartAsync(server.Endpoint());
        OcppPayload payload = OcppPayload.FromJson($$"""{"data":"{{new string('x', 64 * 1024)}}"}""");
        long memoryBefore = Resources.ManagedMemory();

        await using RawWebSocket station = await RawWebSocket.ConnectAsync(server.Port!.Value, "/ocpp/DEAF", OcppProtocols.Ocpp16);
        await Eventually.HoldsAsync(() => server.ConnectionCount == 2, "the deaf station is connected");
        var clock = Stopwatch.StartNew();
        Task<JsonElement>[] calls = [.. Enumerable.Range(0, 500).Select(_ => server.CallAsync("DEAF", "DataTransfer", payload))];
        long memoryWhilePending = Resources.ManagedMemory();
        Exception?[] errors = await Task.WhenAll(calls.Select(async c =>
        {
            try
            {
                await c;
                return null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        })).Within(TimeSpan.FromSeconds(15), "every call to the deaf station ends");
        output.WriteLine($"all 500 calls ended after {clock.ElapsedMilliseconds} ms: " + string.Join(", ", errors.GroupBy(e => e?.GetType().Name ?? "ok").Select(g => $"{g.Key} {g.Count()}")));

        errors.Count(e => e is OcppCallQueueFullException).Should().Be(500 - 1 - 50, "one call in flight, 50 queued, the rest refused at once");
        errors.Count(e => e is OcppCallTimeoutException).Should().BeGreaterThanOrEqualTo(1, "the call in flight times out");
        errors.Where(e => e is not (OcppCallQueueFullException or OcppCallTimeoutException or OcppConnectionClosedException)).Should().BeEmpty();
        await Eventually.HoldsAsync(() => !server.TryGetConnection("DEAF", out _), "keep-alive drops the deaf station", TimeSpan.FromSeconds(10));

        // 500 calls share one 64 KiB payload; an unbounded queue holding a copy per call would be 32 MB.
        output.WriteLine($"memory {memoryBefore / 1024} KiB, while 500 calls pending {memoryWhilePending / 1024} KiB");
        memoryWhilePending.Should().BeLessThan(memoryBefore + (8 << 20));
        bystander.Failures.Should().BeEmpty("the server stays responsive to others");
        (await bystander.StopAsync()).Should().BeGreaterThan(0);
        watch.AssertClean();
    }

    [Fact]
    public async Task Send_stuck_behind_a_station_that_stopped_reading_drops_the_link_at_the_call_timeout()
    {
        using var watch = new ProcessWatch();

        // No keep-alive: only the stuck-send rule can free this link.
        var options = OcppServerOptions.Default with
        {
            KeepAliveInterval = TimeSpan.Zero,
            Connection = OcppConnectionOptions.Default with { CallTimeout = TimeSpan.FromSeconds(1), LoggerFactory = watch.LoggerFactory },
        };
        await using OcppServer server = await Servers.StartAsync(options, setup: s => s.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppReply.Empty)));
        await using Bystander bystander = await Bystander.StartAsync(server.Endpoint());
        await using RawWebSocket station = await RawWebSocket.ConnectAsync(server.Port!.Value, "/ocpp/DEAF", OcppProtocols.Ocpp16);
        await Eventually.HoldsAsync(() => server.ConnectionCount == 2, "the deaf station is connected");

        // Far more than loopback socket buffers hold: the send cannot complete while the station does not read.
        OcppPayload huge = OcppPayload.FromJson($$"""{"data":"{{new string('x', 32 << 20)}}"}""");
        var clock = Stopwatch.StartNew();
        await server.Invoking(s => s.CallAsync("DEAF", "DataTransfer", huge).Within(TimeSpan.FromSeconds(10), "the stuck call ends"))
            .Should().ThrowAsync<OcppCallTimeoutException>();
        output.WriteLine($"stuck call ended after {clock.ElapsedMilliseconds} ms");
        await Eventually.HoldsAsync(() => !server.TryGetConnection("DEAF", out _), "the stuck link is dropped", TimeSpan.FromSeconds(10));
        bystander.Failures.Should().BeEmpty();
        (await bystander.StopAsync()).Should().BeGreaterThan(0);
        watch.AssertClean();
    }

    [Fact]
    public async Task Station_that_floods_calls_and_never_reads_the_replies_is_dropped_and_the_server_stays_responsive()
    {
        using var watch = new ProcessWatch();
        var cancelled = 0;
        var options = OcppServerOptions.Default with
        {
            KeepAliveInterval = TimeSpan.FromMilliseconds(500),
            KeepAliveTimeout = TimeSpan.FromSeconds(1),
            Connection = OcppConnectionOptions.Default with { LoggerFactory = watch.LoggerFactory },
        };
        await using OcppServer server = await Servers.StartAsync(options, setup: s =>
        {
            s.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppReply.Empty));
            s.Handle("Echo", async ctx =>
            {
                try
                {
                    await Task.Delay(1, ctx.CancellationToken);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref cancelled);
                    throw;
                }

                return ctx.PayloadElement;
            });
        });
        await using Bystander bystander = await Bystander.StartAsync(server.Endpoint());
        long memoryBefore = Resources.ManagedMemory();
        RawWebSocket station = await RawWebSocket.ConnectAsync(server.Port!.Value, "/ocpp/FLOODER", OcppProtocols.Ocpp16);
        await Eventually.HoldsAsync(() => server.ConnectionCount == 2, "the flooder is connected");
        string pad = new('x', 32 * 1024);
        using var stopFlood = new CancellationTokenSource();
        int sent = 0;
        var clock = Stopwatch.StartNew();
        Task flood = Task.Run(async () =>
        {
            try
            {
                for (int i = 0; !stopFlood.IsCancellationRequested; i++)
                {
                    await station.SendFrameAsync(1, System.Text.Encoding.UTF8.GetBytes($$"""[2,"f{{i}}","Echo",{"pad":"{{pad}}"}]"""), cancellationToken: stopFlood.Token);
                    sent++;
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The server dropped the link, or the test stopped the flood.
            }
        });

        await Eventually.HoldsAsync(() => !server.TryGetConnection("FLOODER", out _), "the server drops a station that never reads its replies", TimeSpan.FromSeconds(15));
        output.WriteLine($"dropped after {clock.ElapsedMilliseconds} ms and {sent} calls; {cancelled} handlers cancelled");
        long memoryDuring = Resources.ManagedMemory();
        await stopFlood.CancelAsync();
        await flood.Within(TimeSpan.FromSeconds(10), "the flood ends");
        await station.DisposeAsync();
        output.WriteLine($"memory {memoryBefore / 1024} KiB -> {memoryDuring / 1024} KiB at the drop");
        memoryDuring.Should().BeLessThan(memoryBefore + (32 << 20), "back-pressure bounds what a flooder costs");
        bystander.Failures.Should().BeEmpty("the server stays responsive to others");
        (await bystander.StopAsync()).Should().BeGreaterThan(0);
        watch.AssertClean();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Close_while_reconnecting_stops_promptly_fails_queued_calls_and_no_attempt_follows(bool attemptHangs)
    {
        using var watch = new ProcessWatch();
        OcppServer server = await Servers.StartAsync(OcppServerOptions.Default with { KeepAliveInterval = TimeSpan.Zero });
        int port = server.Port!.Value;
        await using var client = new OcppClient(Servers.Client(server.Endpoint(), "CP-1") with
        {
            ConnectTimeout = TimeSpan.FromSeconds(30),
            Reconnect = OcppReconnectOptions.Default with { WaitMinimum = TimeSpan.FromMilliseconds(100), RandomRange = TimeSpan.FromMilliseconds(100), RepeatTimes = 0 },
            Connection = OcppConnectionOptions.Default with { LoggerFactory = watch.LoggerFactory },
        });
        await client.ConnectAsync();
        await server.DisposeAsync();
        await Eventually.HoldsAsync(() => client.State == OcppClientState.Reconnecting, "the client is reconnecting");

        // Something listens on the port again and counts every attempt: it either drops each one at once, or
        // accepts it and never answers (the attempt hangs until ConnectTimeout, 30 s).
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        int attempts = 0;
        var held = new ConcurrentBag<TcpClient>();
        using var stopListening = new CancellationTokenSource();
        Task accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    TcpClient accepted = await listener.AcceptTcpClientAsync(stopListening.Token);
                    Interlocked.Increment(ref attempts);
                    if (attemptHangs)
                    {
                        held.Add(accepted);
                    }
                    else
                    {
                        accepted.Dispose();
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        await Eventually.HoldsAsync(() => Volatile.Read(ref attempts) >= (attemptHangs ? 1 : 3), "reconnect attempts reach the port");

        Task<JsonElement>[] queued = [.. Enumerable.Range(0, 5).Select(_ => client.CallAsync("Heartbeat"))];
        queued.Should().OnlyContain(c => !c.IsCompleted, "calls wait in the queue while reconnecting");
        var clock = Stopwatch.StartNew();
        await client.CloseAsync().Within(TimeSpan.FromSeconds(2), "CloseAsync returns promptly");
        output.WriteLine($"closed after {clock.ElapsedMilliseconds} ms, {attempts} attempts");
        client.State.Should().Be(OcppClientState.Closed);
        foreach (Task<JsonElement> call in queued)
        {
            await call.Invoking(c => c.Within(TimeSpan.FromSeconds(1), "the queued call fails")).Should().ThrowAsync<OcppConnectionClosedException>();
        }

        int attemptsAtClose = Volatile.Read(ref attempts);
        if (attemptHangs)
        {
            // The abandoned attempt's socket is closed by the client, not left open.
            foreach (TcpClient accepted in held)
            {
                byte[] buffer = new byte[4096];
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                int read;
                do
                {
                    read = await accepted.GetStream().ReadAsync(buffer, timeout.Token);
                }
                while (read > 0);
            }
        }

        // Ten back-off periods later nothing more has tried to connect: no background task is left running.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Volatile.Read(ref attempts).Should().Be(attemptsAtClose, "no connection attempt follows CloseAsync");
        await stopListening.CancelAsync();
        await accepting;
        foreach (TcpClient accepted in held)
        {
            accepted.Dispose();
        }

        watch.AssertClean();
    }
}

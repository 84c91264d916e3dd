using System.Buffers.Text;
using System.Diagnostics;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text.Json;
using Ocpp.Rpc.Client;

namespace Ocpp.Rpc.LoadTool;

/// <summary>
/// N stations, each keeping W Heartbeat calls in flight, for a fixed time after a warm-up; prints one JSON line.
/// Default: the full <see cref="OcppClient"/> (typed calls, <c>CallConcurrency = W</c>). <c>--light</c>: a minimal
/// client that writes pre-built CALL frames on a raw <see cref="ClientWebSocket"/> and matches replies by id, so
/// the figure is the server's.
/// </summary>
internal static class ClientCommand
{
    public static async Task<int> RunAsync(Args args, CancellationToken stop)
    {
        string url = args.Required("url").TrimEnd('/');
        int clients = args.Int("clients", 1);
        int window = args.Int("window", 1);
        double duration = args.Double("duration", 10);
        double warmup = args.Double("warmup", 2);
        string protocol = args.String("protocol", OcppProtocols.Ocpp16);
        bool light = args.Flag("light");
        string prefix = args.String("prefix", "LT") + Environment.ProcessId + "-";
        int floodClients = args.Int("flood-clients", 0);
        int floodWindow = args.Int("flood-window", 64);
        // --pace MS (light client): each slot waits MS after a reply before its next call, so a station sends at a
        // steady rate (e.g. a bystander below a rate limit) instead of as fast as replies come.
        TimeSpan pace = TimeSpan.FromMilliseconds(args.Double("pace", 0));

        var run = new Run();
        List<Func<Task>> stations = [];
        Func<Task>? closeAll;
        if (light)
        {
            using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());
            var list = new List<LightStation>();
            await ForEachBatchedAsync(clients, async i =>
            {
                var s = new LightStation(run, window, pace);
                await s.ConnectAsync(new Uri($"{url}/{prefix}{i}"), protocol, invoker, stop);
                lock (list)
                {
                    list.Add(s);
                }
            });
            stations.AddRange(list.Select(s => (Func<Task>)s.RunAsync));
            closeAll = () => Task.WhenAll(list.Select(s => s.CloseAsync()));
        }
        else
        {
            var list = new List<OcppClient>();
            await ForEachBatchedAsync(clients, async i =>
            {
                var client = new OcppClient(new OcppClientOptions
                {
                    Endpoint = new Uri(url),
                    Identity = $"{prefix}{i}",
                    Protocols = [protocol],
                    MaxQueuedCalls = window * 2,
                    Connection = OcppConnectionOptions.Default with { CallConcurrency = window, MaxQueuedCalls = window * 2 },
                });
                await client.ConnectAsync(stop);
                lock (list)
                {
                    list.Add(client);
                }
            });
            Func<OcppClient, Task> call = protocol switch
            {
                OcppProtocols.Ocpp16 => c => c.CallAsync(new Messages.V16.HeartbeatRequest()),
                OcppProtocols.Ocpp201 => c => c.CallAsync(new Messages.V201.HeartbeatRequest()),
                _ => c => c.CallAsync("Heartbeat"),
            };
            foreach (OcppClient client in list)
            {
                for (int w = 0; w < window; w++)
                {
                    stations.Add(() => FullWorkerAsync(run, client, call));
                }
            }

            closeAll = () => Task.WhenAll(list.Select(async c =>
            {
                try
                {
                    await c.CloseAsync();
                }
                catch (Exception)
                {
                }

                await c.DisposeAsync();
            }));
        }

        // Flooding stations (not measured): light stations keeping --flood-window calls in flight each, as fast as the
        // server takes them. The measured stations above are the bystanders.
        var flood = new Run();
        var flooders = new List<LightStation>();
        if (floodClients > 0)
        {
            using var floodInvoker = new HttpMessageInvoker(new SocketsHttpHandler());
            for (int i = 0; i < floodClients; i++)
            {
                var s = new LightStation(flood, floodWindow, TimeSpan.Zero);
                await s.ConnectAsync(new Uri($"{url}/{prefix}flood-{i}"), protocol, floodInvoker, stop);
                flooders.Add(s);
            }
        }

        Task[] floodRunning = [.. flooders.Select(s => Task.Run(s.RunAsync))];
        Task[] running = stations.Select(s => Task.Run(s)).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(warmup));
        long c0 = Interlocked.Read(ref run.Completed);
        long e0 = Interlocked.Read(ref run.Errors);
        long f0 = Interlocked.Read(ref flood.Completed);
        long fe0 = Interlocked.Read(ref flood.Errors);
        var watch = Stopwatch.StartNew();
        Volatile.Write(ref run.Measuring, true);
        await Task.Delay(TimeSpan.FromSeconds(duration));
        Volatile.Write(ref run.Measuring, false);
        double elapsed = watch.Elapsed.TotalSeconds;
        long calls = Interlocked.Read(ref run.Completed) - c0;
        long errors = Interlocked.Read(ref run.Errors) - e0;
        long floodCalls = Interlocked.Read(ref flood.Completed) - f0;
        long floodErrors = Interlocked.Read(ref flood.Errors) - fe0;
        Volatile.Write(ref run.Stopping, true);
        Volatile.Write(ref flood.Stopping, true);
        await Task.WhenAny(Task.WhenAll(running), Task.Delay(5000));
        await Task.WhenAny(closeAll(), Task.Delay(5000));

        // A rate-limited flooder's calls wait on the server: do not wait for its window to drain, just close.
        await Task.WhenAny(Task.WhenAll(flooders.Select(s => s.CloseAsync())), Task.Delay(5000));
        await Task.WhenAny(Task.WhenAll(floodRunning), Task.Delay(5000));

        double[] latencies = run.Latencies();
        Array.Sort(latencies);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            client = light ? "light" : "Ocpp.Rpc",
            callsPerSec = Math.Round(calls / elapsed),
            p50Ms = Math.Round(Percentile(latencies, 0.50), 4),
            p99Ms = Math.Round(Percentile(latencies, 0.99), 4),
            errors,
            clients,
            window,
            duration,
            calls,
            paceMs = pace.TotalMilliseconds,
            floodClients,
            floodWindow,
            floodCallsPerSec = Math.Round(floodCalls / elapsed),
            floodErrors,
        }));
        return 0;
    }

    private static async Task FullWorkerAsync(Run run, OcppClient client, Func<OcppClient, Task> call)
    {
        List<double> log = run.NewLog();
        while (!Volatile.Read(ref run.Stopping))
        {
            long started = Stopwatch.GetTimestamp();
            try
            {
                await call(client);
                Interlocked.Increment(ref run.Completed);
                if (Volatile.Read(ref run.Measuring))
                {
                    log.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
            catch (Exception) when (!Volatile.Read(ref run.Stopping))
            {
                Interlocked.Increment(ref run.Errors);
                await Task.Delay(10);
            }
            catch (Exception)
            {
                return;
            }
        }
    }

    private static async Task ForEachBatchedAsync(int count, Func<int, Task> action)
    {
        using var gate = new SemaphoreSlim(64);
        var tasks = new List<Task>(count);
        for (int i = 0; i < count; i++)
        {
            await gate.WaitAsync();
            int index = i;
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    await action(index);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        await Task.WhenAll(tasks);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    internal sealed class Run
    {
        private readonly List<List<double>> _logs = [];
        public long Completed;
        public long Errors;
        public bool Measuring;
        public bool Stopping;
        public string? FirstError;

        public List<double> NewLog()
        {
            var log = new List<double>(1 << 16);
            lock (_logs)
            {
                _logs.Add(log);
            }

            return log;
        }

        public double[] Latencies()
        {
            lock (_logs)
            {
                return _logs.SelectMany(l => l).ToArray();
            }
        }
    }

    /// <summary>
    /// One raw WebSocket keeping W CALLs in flight: slot k's frame is <c>[2,"kkkk-seq","Heartbeat",{}]</c> written
    /// into a reused buffer; a reply for slot k records the latency and sends slot k again.
    /// </summary>
    private sealed class LightStation
    {
        private readonly Run _run;
        private readonly int _window;
        private readonly byte[][] _frames;
        private readonly int[] _lengths;
        private readonly long[] _sentAt;
        private readonly List<double> _log;
        private readonly ClientWebSocket _socket = new();
        private readonly TimeSpan _pace;
        private long _seq;

        public LightStation(Run run, int window, TimeSpan pace)
        {
            _pace = pace;
            _run = run;
            _window = window;
            _frames = new byte[window][];
            _lengths = new int[window];
            _sentAt = new long[window];
            for (int k = 0; k < window; k++)
            {
                _frames[k] = new byte[64];
            }

            _log = run.NewLog();
        }

        public async Task ConnectAsync(Uri uri, string protocol, HttpMessageInvoker invoker, CancellationToken cancellationToken)
        {
            _socket.Options.AddSubProtocol(protocol);
            _socket.Options.KeepAliveInterval = TimeSpan.Zero;
            await _socket.ConnectAsync(uri, invoker, cancellationToken);
        }

        public async Task RunAsync()
        {
            for (int k = 0; k < _window; k++)
            {
                await SendAsync(k);
            }

            int inFlight = _window;
            byte[] buffer = new byte[4096];
            try
            {
                while (inFlight > 0)
                {
                    int count = 0;
                    ValueWebSocketReceiveResult r;
                    do
                    {
                        r = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                        count += r.Count;
                    }
                    while (!r.EndOfMessage && r.MessageType != WebSocketMessageType.Close);

                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    // [3,"kkkk-seq",...] (or the echo's [2,"kkkk-seq",...]); [4,...] is a CALLERROR.
                    int k = (buffer[4] - '0') * 1000 + (buffer[5] - '0') * 100 + (buffer[6] - '0') * 10 + (buffer[7] - '0');
                    if (buffer[1] == (byte)'4')
                    {
                        Interlocked.Increment(ref _run.Errors);
                    }
                    else
                    {
                        Interlocked.Increment(ref _run.Completed);
                        if (Volatile.Read(ref _run.Measuring))
                        {
                            _log.Add(Stopwatch.GetElapsedTime(_sentAt[k]).TotalMilliseconds);
                        }
                    }

                    if (Volatile.Read(ref _run.Stopping))
                    {
                        inFlight--;
                    }
                    else if (_pace > TimeSpan.Zero)
                    {
                        // One slot paced (the bystander): wait, then call again; with more slots they share the wait.
                        await Task.Delay(_pace);
                        await SendAsync(k);
                    }
                    else
                    {
                        await SendAsync(k);
                    }
                }
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or InvalidOperationException or OperationCanceledException or ObjectDisposedException)
            {
                Interlocked.Increment(ref _run.Errors);
            }
        }

        public async Task CloseAsync()
        {
            try
            {
                using var timeout = new CancellationTokenSource(3000);
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception)
            {
            }

            _socket.Dispose();
        }

        private ValueTask SendAsync(int k)
        {
            byte[] frame = _frames[k];
            int n = 0;
            "[2,\""u8.CopyTo(frame);
            n += 4;
            frame[n++] = (byte)('0' + (k / 1000 % 10));
            frame[n++] = (byte)('0' + (k / 100 % 10));
            frame[n++] = (byte)('0' + (k / 10 % 10));
            frame[n++] = (byte)('0' + (k % 10));
            frame[n++] = (byte)'-';
            Utf8Formatter.TryFormat(++_seq, frame.AsSpan(n), out int written);
            n += written;
            "\",\"Heartbeat\",{}]"u8.CopyTo(frame.AsSpan(n));
            n += 17;
            _lengths[k] = n;
            _sentAt[k] = Stopwatch.GetTimestamp();
            return _socket.SendAsync(frame.AsMemory(0, n), WebSocketMessageType.Text, true, CancellationToken.None);
        }
    }
}

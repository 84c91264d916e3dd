using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Ocpp.Rpc.LoadTool;

/// <summary>
/// A fleet of light stations for the scale run: each opens a raw WebSocket from <c>--source</c> (a 127.x address, so
/// many fleets stay within the ephemeral ports of one source), boots, then sends a Heartbeat and a MeterValues every
/// <c>--interval</c> seconds (jittered). Its home node is one of <c>--nodes</c> (spread by index); when the link
/// drops it reconnects to another node (the dead one is skipped, the others spread by index) after a short random
/// delay, and sends again every call that was not answered, with its message id, so no accepted call is lost.
/// Prints a status line every second (connected, booted, accepted and answered calls, reconnects, when the last one
/// completed) and, on SIGTERM, stops sending, waits up to 20 s for answers and prints a final line.
/// </summary>
internal static class FleetCommand
{
    public static async Task<int> RunAsync(Args args, CancellationToken stop)
    {
        string[] nodes = args.Required("nodes").Split(',', StringSplitOptions.RemoveEmptyEntries);
        int stations = args.Int("stations", 1000);
        int first = args.Int("first", 0);
        var source = IPAddress.Parse(args.String("source", "127.0.0.1"));
        double interval = args.Double("interval", 30);
        int parallel = args.Int("parallel", 64);
        string prefix = args.String("prefix", "CP");
        var fleet = new Fleet(nodes, interval);

        using var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    // IP_BIND_ADDRESS_NO_PORT: choose the port at connect time, per destination, not at bind time.
                    socket.SetRawSocketOption(0 /* IPPROTO_IP */, 24, BitConverter.GetBytes(1));
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var invoker = new HttpMessageInvoker(handler);
        using var sending = new CancellationTokenSource();
        var tasks = new List<Task>(stations);
        using var gate = new SemaphoreSlim(parallel);
        Task status = fleet.ReportAsync(stations, stop);
        for (int i = 0; i < stations && !stop.IsCancellationRequested; i++)
        {
            int index = first + i;
            var station = new LightFleetStation(fleet, $"{prefix}{index}", index, invoker);
            tasks.Add(station.RunAsync(gate, sending.Token, stop));
        }

        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
        }

        // Stop sending new calls; what is accepted must still be answered.
        await sending.CancelAsync();
        using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!drain.IsCancellationRequested && Interlocked.Read(ref fleet.Answered) < Interlocked.Read(ref fleet.Accepted))
        {
            await Task.Delay(100, CancellationToken.None);
        }

        fleet.Closing = true;
        Console.WriteLine(fleet.Status(stations, final: true));
        Console.Out.Flush();
        return Interlocked.Read(ref fleet.Answered) == Interlocked.Read(ref fleet.Accepted) ? 0 : 1;
    }

    internal sealed class Fleet(string[] nodes, double interval)
    {
        public readonly string[] Nodes = nodes;
        public readonly double Interval = interval;
        public readonly ConcurrentDictionary<int, byte> DeadNodes = new();
        public long Connected;
        public long Booted;
        public long Accepted;
        public long Answered;
        public long Reconnects;
        public long ConnectFailures;
        public long LastReconnectUnixMs;
        public volatile bool Closing;

        public string Status(int stations, bool final = false) => JsonSerializer.Serialize(new
        {
            fleet = true,
            final,
            stations,
            connected = Interlocked.Read(ref Connected),
            booted = Interlocked.Read(ref Booted),
            accepted = Interlocked.Read(ref Accepted),
            answered = Interlocked.Read(ref Answered),
            reconnects = Interlocked.Read(ref Reconnects),
            connectFailures = Interlocked.Read(ref ConnectFailures),
            lastReconnectUnixMs = Interlocked.Read(ref LastReconnectUnixMs),
            unixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        });

        public async Task ReportAsync(int stations, CancellationToken stop)
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    Console.WriteLine(Status(stations));
                    Console.Out.Flush();
                    await Task.Delay(1000, stop);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>One station: connect, boot, periodic calls; unanswered calls are sent again after a reconnect.</summary>
    private sealed class LightFleetStation(Fleet fleet, string identity, int index, HttpMessageInvoker invoker)
    {
        private readonly ConcurrentDictionary<string, byte[]> _unanswered = new(concurrencyLevel: 1, capacity: 4, StringComparer.Ordinal);
        private readonly SemaphoreSlim _send = new(1, 1);
        private long _seq;
        private bool _booted;

        public async Task RunAsync(SemaphoreSlim gate, CancellationToken sending, CancellationToken stop)
        {
            int node = index % fleet.Nodes.Length;
            bool reconnecting = false;
            while (!fleet.Closing)
            {
                using var socket = new ClientWebSocket();
                socket.Options.AddSubProtocol(OcppProtocols.Ocpp16);
                socket.Options.KeepAliveInterval = TimeSpan.Zero;
                await gate.WaitAsync(CancellationToken.None);
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    await socket.ConnectAsync(new Uri($"{fleet.Nodes[node].TrimEnd('/')}/{identity}"), invoker, timeout.Token);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref fleet.ConnectFailures);
                    fleet.DeadNodes.TryAdd(node, 0);
                    gate.Release();
                    node = NextNode(node);
                    await Task.Delay(Random.Shared.Next(100, 1000), CancellationToken.None);
                    continue;
                }

                gate.Release();
                Interlocked.Increment(ref fleet.Connected);
                if (reconnecting)
                {
                    Interlocked.Increment(ref fleet.Reconnects);
                    long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    long last;
                    while ((last = Interlocked.Read(ref fleet.LastReconnectUnixMs)) < now && Interlocked.CompareExchange(ref fleet.LastReconnectUnixMs, now, last) != last)
                    {
                    }
                }

                using var linked = CancellationTokenSource.CreateLinkedTokenSource(sending);
                Task receiving = ReceiveAsync(socket, linked);
                try
                {
                    foreach (KeyValuePair<string, byte[]> call in _unanswered)
                    {
                        await SendAsync(socket, call.Value);
                    }

                    if (!_booted)
                    {
                        await CallAsync(socket, "BootNotification", """{"chargePointVendor":"bench","chargePointModel":"fleet"}""");
                    }

                    // Jittered so that the fleet's calls spread over the interval.
                    await Task.Delay(TimeSpan.FromSeconds(fleet.Interval * Random.Shared.NextDouble()), linked.Token);
                    while (!linked.IsCancellationRequested)
                    {
                        await CallAsync(socket, "Heartbeat", "{}");
                        await CallAsync(socket, "MeterValues", """{"connectorId":1,"meterValue":[{"timestamp":"2025-01-01T12:00:00Z","sampledValue":[{"value":"1000"}]}]}""");
                        await Task.Delay(TimeSpan.FromSeconds(fleet.Interval), linked.Token);
                    }
                }
                catch (Exception)
                {
                    // The link dropped (or sending stopped): fall through to the receive loop's end.
                }

                await receiving;
                Interlocked.Decrement(ref fleet.Connected);
                if (fleet.Closing || (sending.IsCancellationRequested && _unanswered.IsEmpty))
                {
                    // Sending stopped and nothing waits for an answer: stay as we are until the fleet closes.
                    if (socket.State == WebSocketState.Open || fleet.Closing)
                    {
                        return;
                    }
                }

                reconnecting = true;
                node = NextNode(node);
                await Task.Delay(Random.Shared.Next(0, 500), CancellationToken.None);
            }
        }

        // Another node than the one that failed, spread by station index over the live ones.
        private int NextNode(int failed)
        {
            int count = fleet.Nodes.Length;
            for (int step = 1 + (index / count % Math.Max(1, count - 1)), tried = 0; tried < count; tried++, step++)
            {
                int candidate = (failed + step) % count;
                if (candidate != failed && !fleet.DeadNodes.ContainsKey(candidate))
                {
                    return candidate;
                }
            }

            return (failed + 1) % count;
        }

        private async Task CallAsync(ClientWebSocket socket, string action, string payload)
        {
            string id = (action == "BootNotification" ? "b" : "c") + Interlocked.Increment(ref _seq);
            byte[] frame = Encoding.UTF8.GetBytes($"[2,\"{id}\",\"{action}\",{payload}]");
            _unanswered[id] = frame;
            Interlocked.Increment(ref fleet.Accepted);
            await SendAsync(socket, frame);
        }

        private async Task SendAsync(ClientWebSocket socket, byte[] frame)
        {
            await _send.WaitAsync();
            try
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
            }
            finally
            {
                _send.Release();
            }
        }

        // Matches [3,"id",...] replies to unanswered calls; ends when the link drops. While the station stays open after
        // sending stopped, it keeps receiving until the fleet closes (so late answers still count).
        private async Task ReceiveAsync(ClientWebSocket socket, CancellationTokenSource linked)
        {
            byte[] buffer = new byte[1024];
            try
            {
                while (socket.State == WebSocketState.Open && !fleet.Closing)
                {
                    int count = 0;
                    ValueWebSocketReceiveResult r;
                    do
                    {
                        r = await socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                        count += r.Count;
                    }
                    while (!r.EndOfMessage && r.MessageType != WebSocketMessageType.Close && count < buffer.Length);

                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }

                    if (count > 5 && buffer[1] == (byte)'3' && buffer[3] == (byte)'"')
                    {
                        int end = Array.IndexOf(buffer, (byte)'"', 4, count - 4);
                        if (end > 4 && _unanswered.TryRemove(Encoding.UTF8.GetString(buffer, 4, end - 4), out _))
                        {
                            Interlocked.Increment(ref fleet.Answered);
                            if (buffer[4] == (byte)'b' && !_booted)
                            {
                                _booted = true;
                                Interlocked.Increment(ref fleet.Booted);
                            }
                        }
                    }
                }
            }
            catch (Exception)
            {
            }

            await linked.CancelAsync();
        }
    }
}

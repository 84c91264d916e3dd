using System.Diagnostics;
using System.Net.Http;
using System.Net.Security;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Ocpp.Rpc.LoadTool;

/// <summary>
/// A reconnect storm: N stations connect at once (at most <c>--parallel</c> handshakes in flight), each a new TCP
/// connection, a full TLS handshake for <c>wss://</c> (session resumption off, so no handshake is abbreviated), the
/// WebSocket upgrade with Basic auth (<c>--password</c>, profile 2) and subprotocol. When all are open, every socket is
/// aborted (as when a CSMS node or a network path fails) and all reconnect: <c>--rounds</c> passes, one JSON line
/// each with handshakes/s over the pass. The first pass also warms the server; the later ones are the storm.
/// <c>--hold S</c> then keeps the last pass's connections open and idle (a receive pending, pings answered) for the
/// server's memory report, and prints <c>{"holding":N}</c> first.
/// </summary>
internal static class StormCommand
{
    public static async Task<int> RunAsync(Args args, CancellationToken stop)
    {
        string url = args.Required("url").TrimEnd('/');
        int clients = args.Int("clients", 1000);
        int parallel = args.Int("parallel", 256);
        int rounds = args.Int("rounds", 2);
        double hold = args.Double("hold", 0);
        string protocol = args.String("protocol", OcppProtocols.Ocpp16);
        string? password = args.Flag("password") ? args.Required("password") : null;
        string prefix = args.String("prefix", "STORM") + Environment.ProcessId + "-";

        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // The benchmark's self-signed certificate; and every handshake a full one.
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
                AllowTlsResume = false,
            },
            UseCookies = false,
        };
        using var invoker = new HttpMessageInvoker(handler);
        var sockets = new ClientWebSocket?[clients];
        int exit = 0;
        for (int round = 1; round <= rounds && !stop.IsCancellationRequested; round++)
        {
            int failed = 0;
            string? firstError = null;
            using var gate = new SemaphoreSlim(parallel);
            var tasks = new Task[clients];
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < clients; i++)
            {
                await gate.WaitAsync(stop);
                int index = i;
                tasks[i] = Task.Run(async () =>
                {
                    var socket = new ClientWebSocket();
                    try
                    {
                        socket.Options.AddSubProtocol(protocol);
                        socket.Options.KeepAliveInterval = TimeSpan.Zero;
                        string identity = prefix + index;
                        if (password is not null)
                        {
                            socket.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(identity + ":" + password)));
                        }

                        await socket.ConnectAsync(new Uri($"{url}/{identity}"), invoker, stop);
                        sockets[index] = socket;
                        _ = DrainAsync(socket);
                    }
                    catch (Exception ex)
                    {
                        Interlocked.Increment(ref failed);
                        Interlocked.CompareExchange(ref firstError, ex.GetType().Name + ": " + (ex.InnerException?.Message ?? ex.Message), null);
                        socket.Dispose();
                    }
                    finally
                    {
                        gate.Release();
                    }
                });
            }

            await Task.WhenAll(tasks);
            double seconds = watch.Elapsed.TotalSeconds;
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                storm = true,
                round,
                tls = url.StartsWith("wss:", StringComparison.OrdinalIgnoreCase),
                clients,
                parallel,
                connected = clients - failed,
                failed,
                seconds = Math.Round(seconds, 3),
                handshakesPerSec = Math.Round((clients - failed) / seconds),
                firstError,
            }));
            Console.Out.Flush();
            exit = failed == 0 ? exit : 1;
            if (round < rounds)
            {
                AbortAll(sockets);
            }
        }

        if (hold > 0)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { holding = sockets.Count(s => s?.State == WebSocketState.Open) }));
            Console.Out.Flush();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(hold), stop);
            }
            catch (OperationCanceledException)
            {
            }
        }

        AbortAll(sockets);
        return exit;
    }

    private static void AbortAll(ClientWebSocket?[] sockets)
    {
        for (int i = 0; i < sockets.Length; i++)
        {
            sockets[i]?.Abort();
            sockets[i]?.Dispose();
            sockets[i] = null;
        }
    }

    // Keeps a receive pending so the server's pings are answered; nothing else arrives.
    private static async Task DrainAsync(ClientWebSocket socket)
    {
        byte[] buffer = new byte[256];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                ValueWebSocketReceiveResult r = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception)
        {
        }
    }
}

using System.Net.Http;
using System.Net.WebSockets;
using System.Text.Json;

namespace Ocpp.Rpc.LoadTool;

/// <summary>
/// Opens N raw WebSocket connections (subprotocol only, no traffic; pings are answered) and holds them. For the
/// hardening figures: <c>--compress</c> offers permessage-deflate with context takeover (the ws and browser default);
/// <c>--partial BYTES</c> makes each send one non-final fragment of a message that long (compressed, about a
/// thousandth of it on the wire) and never finish it; <c>--stall BYTES [--repeat K]</c> makes each send K DataTransfers that long
/// and then never read again (the server's echo of it waits on a full TCP window).
/// </summary>
internal static class IdleCommand
{
    public static async Task<int> RunAsync(Args args, CancellationToken stop)
    {
        string url = args.Required("url").TrimEnd('/');
        int clients = args.Int("clients", 1000);
        double hold = args.Double("hold", 0);
        string protocol = args.String("protocol", OcppProtocols.Ocpp16);
        string prefix = args.String("prefix", "IDLE") + Environment.ProcessId + "-";
        bool compress = args.Flag("compress");
        int partial = args.Int("partial", 0);
        int stall = args.Int("stall", 0);
        int repeat = args.Int("repeat", 1);
        byte[]? partialMessage = partial > 0 ? Message(partial, 0) : null;

        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());
        var sockets = new ClientWebSocket[clients];
        int failed = 0;
        using var gate = new SemaphoreSlim(128);
        var tasks = new List<Task>(clients);
        for (int i = 0; i < clients; i++)
        {
            await gate.WaitAsync(stop);
            int index = i;
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    var socket = new ClientWebSocket();
                    socket.Options.AddSubProtocol(protocol);
                    socket.Options.KeepAliveInterval = TimeSpan.Zero;
                    if (compress)
                    {
                        socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
                    }

                    await socket.ConnectAsync(new Uri($"{url}/{prefix}{index}"), invoker, stop);
                    sockets[index] = socket;
                    if (partialMessage is not null)
                    {
                        await socket.SendAsync(partialMessage, WebSocketMessageType.Text, endOfMessage: false, stop);
                    }

                    if (stall > 0)
                    {
                        for (int m = 0; m < repeat; m++)
                        {
                            await socket.SendAsync(Message(stall, m), WebSocketMessageType.Text, endOfMessage: true, stop);
                        }
                    }
                    else
                    {
                        _ = DrainAsync(socket);
                    }
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failed);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        await Task.WhenAll(tasks);
        Console.WriteLine(JsonSerializer.Serialize(new { idle = true, connected = clients - failed, failed }));
        Console.Out.Flush();
        try
        {
            await Task.Delay(hold > 0 ? TimeSpan.FromSeconds(hold) : Timeout.InfiniteTimeSpan, stop);
        }
        catch (OperationCanceledException)
        {
        }

        foreach (ClientWebSocket? socket in sockets)
        {
            socket?.Abort();
            socket?.Dispose();
        }

        return failed == 0 ? 0 : 1;
    }

    // A DataTransfer CALL of about the given length, padded with one repeated letter (so it compresses to almost nothing).
    private static byte[] Message(int length, int id)
    {
        string head = "[2,\"m" + id + "\",\"DataTransfer\",{\"vendorId\":\"acme\",\"data\":\"";
        const string tail = "\"}]";
        return System.Text.Encoding.UTF8.GetBytes(head + new string('a', Math.Max(0, length - head.Length - tail.Length)) + tail);
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

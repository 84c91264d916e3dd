using System.Net.Http;
using System.Net.WebSockets;
using System.Text.Json;

namespace Ocpp.Rpc.LoadTool;

/// <summary>Opens N raw WebSocket connections (subprotocol only, no traffic; pings are answered) and holds them.</summary>
internal static class IdleCommand
{
    public static async Task<int> RunAsync(Args args, CancellationToken stop)
    {
        string url = args.Required("url").TrimEnd('/');
        int clients = args.Int("clients", 1000);
        double hold = args.Double("hold", 0);
        string protocol = args.String("protocol", OcppProtocols.Ocpp16);
        string prefix = args.String("prefix", "IDLE") + Environment.ProcessId + "-";

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
                    await socket.ConnectAsync(new Uri($"{url}/{prefix}{index}"), invoker, stop);
                    sockets[index] = socket;
                    _ = DrainAsync(socket);
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

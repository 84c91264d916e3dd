using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Ocpp.Rpc.LoadTool;

/// <summary>A bare Kestrel WebSocket echo server: the latency floor for the same client, socket and stack.</summary>
internal static class EchoCommand
{
    public static async Task RunAsync(Args args, CancellationToken stop)
    {
        int port = args.Int("port", 9230);
        double reportEvery = args.Double("report-memory", 0);
        int connections = 0;
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
        await using WebApplication app = builder.Build();
        app.UseWebSockets();
        app.Run(async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                return;
            }

            string? protocol = context.WebSockets.WebSocketRequestedProtocols.FirstOrDefault();
            using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync(protocol);
            Interlocked.Increment(ref connections);
            byte[] buffer = new byte[4096];
            try
            {
                while (true)
                {
                    ValueWebSocketReceiveResult r = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        return;
                    }

                    await socket.SendAsync(buffer.AsMemory(0, r.Count), r.MessageType, r.EndOfMessage, CancellationToken.None);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
            {
            }
            finally
            {
                Interlocked.Decrement(ref connections);
            }
        });
        await app.StartAsync(stop);
        Console.WriteLine(JsonSerializer.Serialize(new { listening = port, echo = true }));
        try
        {
            while (reportEvery > 0 && !stop.IsCancellationRequested)
            {
                MemoryReport.Print(Volatile.Read(ref connections));
                await Task.Delay(TimeSpan.FromSeconds(reportEvery), stop);
            }

            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }
}

using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;

namespace Ocpp.Rpc.LoadTool;

/// <summary>
/// One raw WebSocket station that answers every CALL it receives with <c>[3,"id",{"status":"Accepted"}]</c> (no parse
/// beyond finding the message id, no allocation per call), so a CSMS-to-station figure is the server's and its
/// backplane's, whichever server it is (ours or a Node peer). Prints <c>{"station":...,"connected":true}</c> once
/// connected; runs until SIGTERM or the server closes. By default on <see cref="RawWebSocketStation"/> (every CALL of
/// one receive answered in one send); <c>--client websocket</c>: on a <see cref="ClientWebSocket"/>, one send per reply
/// (the station before 2026-12-08).
/// </summary>
internal static class AnsweringStationCommand
{
    public static async Task<int> RunAsync(Args args, CancellationToken stop)
    {
        string url = args.Required("url").TrimEnd('/');
        string identity = args.Required("identity");
        string protocol = args.String("protocol", OcppProtocols.Ocpp16);
        if (args.String("client", "raw") == "raw")
        {
            await using RawWebSocketStation raw = await RawWebSocketStation.ConnectAsync(new Uri($"{url}/{identity}"), protocol, stop);
            Console.WriteLine(JsonSerializer.Serialize(new { station = identity, connected = true, protocol = raw.SubProtocol, client = "raw" }));
            Console.Out.Flush();
            try
            {
                await raw.AnswerAsync(static (call, reply) => TryBuildReply(call.Span, reply), stop);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException)
            {
            }

            Console.WriteLine(JsonSerializer.Serialize(new { station = identity, answered = raw.Answered }));
            return 0;
        }

        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(protocol);
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(new Uri($"{url}/{identity}"), stop);
        Console.WriteLine(JsonSerializer.Serialize(new { station = identity, connected = true, protocol = socket.SubProtocol }));
        Console.Out.Flush();

        byte[] buffer = new byte[64 * 1024];
        byte[] reply = new byte[256];
        long answered = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                int count = 0;
                ValueWebSocketReceiveResult r;
                do
                {
                    r = await socket.ReceiveAsync(buffer.AsMemory(count), stop);
                    count += r.Count;
                }
                while (!r.EndOfMessage && r.MessageType != WebSocketMessageType.Close && count < buffer.Length);

                if (r.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                int length = TryBuildReply(buffer.AsSpan(0, count), reply);
                if (length > 0)
                {
                    await socket.SendAsync(reply.AsMemory(0, length), WebSocketMessageType.Text, true, stop);
                    answered++;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }

        Console.WriteLine(JsonSerializer.Serialize(new { station = identity, answered }));
        return 0;
    }

    // [2,"<id>","Action",{...}] -> [3,"<id>",{"status":"Accepted"}]; anything else (or an id too long) -> 0.
    private static int TryBuildReply(ReadOnlySpan<byte> call, byte[] reply)
    {
        int open = call.IndexOf((byte)'"');
        if (open < 0 || call.Slice(0, open).IndexOf((byte)'2') < 0)
        {
            return 0;
        }

        int close = call.Slice(open + 1).IndexOf((byte)'"');
        if (close < 0 || close > 100)
        {
            return 0;
        }

        ReadOnlySpan<byte> id = call.Slice(open + 1, close);
        int n = 0;
        "[3,\""u8.CopyTo(reply);
        n += 4;
        id.CopyTo(reply.AsSpan(n));
        n += id.Length;
        ReadOnlySpan<byte> tail = "\",{\"status\":\"Accepted\"}]"u8;
        tail.CopyTo(reply.AsSpan(n));
        return n + tail.Length;
    }
}

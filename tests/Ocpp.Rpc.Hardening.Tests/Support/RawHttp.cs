using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Ocpp.Rpc.Hardening.Tests.Support;

/// <summary>The head of an HTTP response; status 0 when the server closed without answering.</summary>
internal sealed record RawHttpResponse(int Status, IReadOnlyDictionary<string, string> Headers);

/// <summary>Handshake requests written byte for byte over TCP (no URI normalization, any header, any pace).</summary>
internal static class RawHttp
{
    public const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    public static string Upgrade(string target, string? protocol = OcppProtocols.Ocpp16, string? extraHeaders = null) =>
        $"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        $"Sec-WebSocket-Key: {Key}\r\nSec-WebSocket-Version: 13\r\n" +
        (protocol is null ? string.Empty : $"Sec-WebSocket-Protocol: {protocol}\r\n") +
        (extraHeaders ?? string.Empty) + "\r\n";

    public static string Authorization(string identity, string password) =>
        "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(identity + ":" + password)) + "\r\n";

    /// <summary>Sends the request and reads the response head, then closes.</summary>
    public static async Task<RawHttpResponse> SendAsync(int port, string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        NetworkStream stream = tcp.GetStream();
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        }
        catch (IOException)
        {
            // The server may answer (431, 414) and close before reading everything; read what it said.
        }

        return await ReadHeadAsync(stream, TimeSpan.FromSeconds(15));
    }

    public static async Task<RawHttpResponse> ReadHeadAsync(Stream stream, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var head = new StringBuilder();
        byte[] one = new byte[1];
        try
        {
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await stream.ReadAsync(one, timeout.Token) == 0)
                {
                    break;
                }

                head.Append((char)one[0]);
            }
        }
        catch (IOException)
        {
        }

        string[] lines = head.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        int status = lines.Length > 0 && lines[0].Split(' ') is { Length: > 1 } parts && int.TryParse(parts[1], out int s) ? s : 0;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        return new RawHttpResponse(status, headers);
    }

    /// <summary>
    /// Opens TCP and sends <paramref name="bytes"/> one byte every <paramref name="pace"/> (nothing at all when empty)
    /// until the server drops the connection. Returns how long the server took to drop it and what it answered
    /// (status 0: dropped without an answer), or null if it was still open after <paramref name="giveUpAfter"/>.
    /// </summary>
    public static async Task<(TimeSpan After, string Answer)?> TrickleUntilDroppedAsync(int port, byte[] bytes, TimeSpan pace, TimeSpan giveUpAfter)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        NetworkStream stream = tcp.GetStream();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(giveUpAfter);
        Task writer = Task.Run(async () =>
        {
            try
            {
                foreach (byte b in bytes)
                {
                    await stream.WriteAsync(new[] { b }, stop.Token);
                    await Task.Delay(pace, stop.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
            }
        });
        var answer = new StringBuilder();
        byte[] buffer = new byte[1024];
        try
        {
            while (true)
            {
                int n = await stream.ReadAsync(buffer, stop.Token);
                if (n == 0)
                {
                    break;
                }

                answer.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (IOException)
        {
        }

        TimeSpan after = clock.Elapsed;
        await stop.CancelAsync();
        await writer;
        return (after, answer.ToString());
    }
}

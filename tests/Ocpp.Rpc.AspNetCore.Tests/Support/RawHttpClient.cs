using System.Net.Sockets;
using System.Text;

namespace Ocpp.Rpc.AspNetCore.Tests.Support;

/// <summary>
/// A raw TCP client that writes an HTTP upgrade request byte for byte (no URI normalization, so malformed
/// percent-encoding reaches the server as is) and reads the response head.
/// </summary>
internal sealed class RawHttpClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;

    private RawHttpClient(TcpClient tcp)
    {
        _tcp = tcp;
        Stream = tcp.GetStream();
    }

    public NetworkStream Stream { get; }

    public static async Task<RawHttpClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        return new RawHttpClient(tcp);
    }

    public static string UpgradeRequest(string target, string? protocols = OcppProtocols.Ocpp16, string? extraHeaders = null) =>
        $"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
        (protocols is null ? string.Empty : $"Sec-WebSocket-Protocol: {protocols}\r\n") +
        (extraHeaders ?? string.Empty) + "\r\n";

    /// <summary>Sends an upgrade request for <paramref name="target"/> and returns the response head.</summary>
    public static async Task<RawResponse> UpgradeAsync(int port, string target, string? protocols = OcppProtocols.Ocpp16)
    {
        await using RawHttpClient client = await ConnectAsync(port);
        await client.SendAsync(UpgradeRequest(target, protocols));
        return await client.ReadResponseHeadAsync();
    }

    public async Task SendAsync(string text) => await Stream.WriteAsync(Encoding.ASCII.GetBytes(text));

    /// <summary>Reads up to the blank line that ends the response head, one byte at a time (leaves the rest unread).</summary>
    public async Task<RawResponse> ReadResponseHeadAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var head = new StringBuilder();
        byte[] one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            int read = await Stream.ReadAsync(one, timeout.Token);
            if (read == 0)
            {
                break;
            }

            head.Append((char)one[0]);
        }

        string[] lines = head.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        int status = lines.Length > 0 ? int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        return new RawResponse(status, headers);
    }

    /// <summary>Whether the server closed the TCP connection within the time given (reads and discards anything it sends).</summary>
    public async Task<bool> WaitForServerCloseAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        byte[] buffer = new byte[1024];
        try
        {
            while (await Stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}

internal sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers);

using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Ocpp.Rpc.Hardening.Tests.Support;

/// <summary>What <see cref="RawWebSocket.ReceiveMessageAsync"/> got.</summary>
internal enum RawKind
{
    Text,
    Binary,
    Close,

    /// <summary>The TCP connection ended (or was reset) without a close frame.</summary>
    Eof,

    /// <summary>Nothing arrived in time.</summary>
    Silence,
}

internal sealed record RawMessage(RawKind Kind, byte[] Payload, int? CloseCode = null, bool Compressed = false)
{
    public string Text => Encoding.UTF8.GetString(Payload);
}

/// <summary>
/// A WebSocket client written frame by frame over a raw <see cref="TcpClient"/>, so a test can send what no
/// well-behaved client would: invalid UTF-8 in text frames, fragments with control frames in between, unmasked
/// frames, reserved bits, oversized control frames; stop reading; or reset the TCP connection.
/// </summary>
internal sealed class RawWebSocket : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    private RawWebSocket(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public Socket Socket => _tcp.Client;

    /// <summary>The server's upgrade response (status line and headers) as received.</summary>
    public string ResponseHead { get; private set; } = string.Empty;

    /// <summary>A response header's value, or null.</summary>
    public string? ResponseHeader(string name) =>
        ResponseHead.Split("\r\n").Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase)).Select(p => p[1].Trim()).FirstOrDefault();

    /// <summary>Frames over a TCP connection that is already a WebSocket (no HTTP upgrade: the other end was made with <c>WebSocket.CreateFromStream</c>).</summary>
    public static RawWebSocket Over(TcpClient connected) => new(connected);

    /// <summary>Opens TCP, sends the upgrade and returns the socket; throws <see cref="RawUpgradeException"/> with the status unless 101.</summary>
    public static async Task<RawWebSocket> ConnectAsync(int port, string target, string? protocol, string? extraHeaders = null, int? receiveBufferSize = null)
    {
        var tcp = new TcpClient { NoDelay = true };
        if (receiveBufferSize is { } size)
        {
            tcp.ReceiveBufferSize = size; // Before connecting, so the TCP window is small from the start.
        }

        try
        {
            await tcp.ConnectAsync("127.0.0.1", port);
            var ws = new RawWebSocket(tcp);
            string key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            string request = $"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n" +
                (protocol is null ? string.Empty : $"Sec-WebSocket-Protocol: {protocol}\r\n") + (extraHeaders ?? string.Empty) + "\r\n";
            await ws._stream.WriteAsync(Encoding.ASCII.GetBytes(request));
            int status = await ws.ReadStatusAsync(TimeSpan.FromSeconds(15));
            if (status != 101)
            {
                throw new RawUpgradeException(status);
            }

            return ws;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Writes one frame. Client frames must be masked; <paramref name="mask"/> false breaks that rule on purpose.</summary>
    public async Task SendFrameAsync(int opcode, ReadOnlyMemory<byte> payload, bool fin = true, bool mask = true, int rsv = 0, CancellationToken cancellationToken = default)
    {
        byte[] frame = BuildFrame(opcode, payload.Span, fin, mask, rsv);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await _stream.WriteAsync(frame, cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public Task SendTextAsync(string text) => SendFrameAsync(1, Encoding.UTF8.GetBytes(text));

    /// <summary>Sends raw bytes (e.g. a frame built elsewhere, or half of one).</summary>
    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public static byte[] BuildFrame(int opcode, ReadOnlySpan<byte> payload, bool fin = true, bool mask = true, int rsv = 0)
    {
        int headerLength = 2 + (payload.Length > 65535 ? 8 : payload.Length > 125 ? 2 : 0) + (mask ? 4 : 0);
        byte[] frame = new byte[headerLength + payload.Length];
        frame[0] = (byte)((fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0F));
        int at = 2;
        if (payload.Length > 65535)
        {
            frame[1] = 127;
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
            at += 8;
        }
        else if (payload.Length > 125)
        {
            frame[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
            at += 2;
        }
        else
        {
            frame[1] = (byte)payload.Length;
        }

        if (mask)
        {
            frame[1] |= 0x80;
            Span<byte> key = frame.AsSpan(at, 4);
            RandomNumberGenerator.Fill(key);
            at += 4;
            for (int i = 0; i < payload.Length; i++)
            {
                frame[at + i] = (byte)(payload[i] ^ key[i & 3]);
            }
        }
        else
        {
            payload.CopyTo(frame.AsSpan(at));
        }

        return frame;
    }

    /// <summary>
    /// Reads one whole message (assembling fragments), answering pings with pongs on the way. Returns
    /// <see cref="RawKind.Silence"/> when nothing completes within <paramref name="within"/>.
    /// </summary>
    public async Task<RawMessage> ReceiveMessageAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var data = new List<byte>();
        int messageOpcode = -1;
        bool compressed = false;
        try
        {
            while (true)
            {
                byte[] head = new byte[2];
                if (!await ReadExactAsync(head, timeout.Token))
                {
                    return new RawMessage(RawKind.Eof, []);
                }

                int opcode = head[0] & 0x0F;
                bool fin = (head[0] & 0x80) != 0;
                long length = head[1] & 0x7F;
                if (length == 126)
                {
                    byte[] ext = new byte[2];
                    if (!await ReadExactAsync(ext, timeout.Token))
                    {
                        return new RawMessage(RawKind.Eof, []);
                    }

                    length = BinaryPrimitives.ReadUInt16BigEndian(ext);
                }
                else if (length == 127)
                {
                    byte[] ext = new byte[8];
                    if (!await ReadExactAsync(ext, timeout.Token))
                    {
                        return new RawMessage(RawKind.Eof, []);
                    }

                    length = (long)BinaryPrimitives.ReadUInt64BigEndian(ext);
                }

                byte[] payload = new byte[length];
                if (!await ReadExactAsync(payload, timeout.Token))
                {
                    return new RawMessage(RawKind.Eof, []);
                }

                switch (opcode)
                {
                    case 8:
                        int? code = payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : null;
                        return new RawMessage(RawKind.Close, payload, code);
                    case 9:
                        await SendFrameAsync(10, payload, cancellationToken: timeout.Token);
                        continue;
                    case 10:
                        continue;
                    case 0:
                        break;
                    default:
                        messageOpcode = opcode;
                        compressed = (head[0] & 0x40) != 0; // RSV1 on the first frame: permessage-deflate
                        break;
                }

                data.AddRange(payload);
                if (fin)
                {
                    return new RawMessage(messageOpcode == 2 ? RawKind.Binary : RawKind.Text, [.. data], Compressed: compressed);
                }
            }
        }
        catch (OperationCanceledException)
        {
            return new RawMessage(RawKind.Silence, []);
        }
        catch (IOException)
        {
            return new RawMessage(RawKind.Eof, []);
        }
    }

    /// <summary>Answers the server's close (best effort) so both sides finish the close handshake.</summary>
    public async Task CloseAsync(int code = 1000)
    {
        try
        {
            byte[] payload = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code);
            await SendFrameAsync(8, payload);
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Drops the connection with a TCP reset (SO_LINGER 0), like a crashed process or a pulled cable with a RST.</summary>
    public void Reset()
    {
        Socket.LingerState = new LingerOption(true, 0);
        Socket.Close();
        _tcp.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        _writeLock.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<int> ReadStatusAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var head = new StringBuilder();
        byte[] one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await _stream.ReadAsync(one, timeout.Token) == 0)
            {
                break;
            }

            head.Append((char)one[0]);
        }

        ResponseHead = head.ToString();
        string first = head.ToString().Split("\r\n")[0];
        string[] parts = first.Split(' ');
        return parts.Length > 1 && int.TryParse(parts[1], out int status) ? status : 0;
    }

    private async Task<bool> ReadExactAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await _stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}

internal sealed class RawUpgradeException(int status) : Exception($"The upgrade was answered {status}.")
{
    public int Status { get; } = status;
}

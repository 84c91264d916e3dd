using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Ocpp.Rpc.LoadTool;

/// <summary>
/// The answering station on a bare socket: its own RFC 6455 client (upgrade, masked client frames, ping, close,
/// fragments), so that every CALL found in one receive is answered in one send. <see cref="ClientWebSocket"/> costs a
/// send (and a task) per reply: at 64 calls in flight it took a third of the two cores from the servers under test.
/// Plain <c>ws://</c> only.
/// </summary>
internal sealed class RawWebSocketStation : IAsyncDisposable
{
    private const int MaxMessage = 1024 * 1024;
    private readonly Socket _socket;
    private readonly byte[] _mask = new byte[4];
    private byte[] _in = new byte[64 * 1024];
    private int _start;
    private int _end;
    private byte[] _out = new byte[64 * 1024];
    private int _outLength;
    private byte[]? _fragments;
    private int _fragmentLength;

    private RawWebSocketStation(Socket socket)
    {
        _socket = socket;
        RandomNumberGenerator.Fill(_mask);
    }

    /// <summary>The replies sent so far.</summary>
    public long Answered { get; private set; }

    /// <summary>The subprotocol the server chose.</summary>
    public string? SubProtocol { get; private set; }

    /// <summary>Connects to <paramref name="url"/> (ws://host:port/path) and completes the upgrade.</summary>
    public static async Task<RawWebSocketStation> ConnectAsync(Uri url, string protocol, CancellationToken cancellationToken)
    {
        if (url.Scheme != "ws")
        {
            throw new ArgumentException("The raw station speaks plain ws:// only.", nameof(url));
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(url.Host, url.Port, cancellationToken);
            string key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            string request = $"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: {protocol}\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, cancellationToken);

            var station = new RawWebSocketStation(socket);
            int headerEnd;
            while ((headerEnd = station._in.AsSpan(0, station._end).IndexOf("\r\n\r\n"u8)) < 0)
            {
                if (station._end == station._in.Length || await station.ReceiveAsync(cancellationToken) == 0)
                {
                    throw new IOException("The server closed or sent an oversized response during the upgrade.");
                }
            }

            string[] lines = Encoding.ASCII.GetString(station._in, 0, headerEnd).Split("\r\n");
            if (!lines[0].StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
            {
                throw new IOException("The upgrade was refused: " + lines[0]);
            }

            string expected = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
            string? accept = Header(lines, "Sec-WebSocket-Accept");
            if (accept != expected)
            {
                throw new IOException($"Wrong Sec-WebSocket-Accept '{accept}'.");
            }

            // Frames the server sent right after its response are already in the buffer.
            station.SubProtocol = Header(lines, "Sec-WebSocket-Protocol");
            station._start = headerEnd + 4;
            return station;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Answers every text message with <paramref name="answer"/> (which writes the reply's payload into the span it is
    /// given and returns its length, or 0 for no reply) until the server closes or <paramref name="stop"/> fires.
    /// </summary>
    public async Task AnswerAsync(Func<ReadOnlyMemory<byte>, byte[], int> answer, CancellationToken stop)
    {
        byte[] reply = new byte[512];
        while (!stop.IsCancellationRequested)
        {
            bool closed = false;
            while (TryReadFrame(out bool fin, out int opcode, out ReadOnlyMemory<byte> payload))
            {
                switch (opcode)
                {
                    case 0x1 or 0x0:
                        if (!fin || _fragmentLength > 0)
                        {
                            AppendFragment(payload.Span);
                            if (!fin)
                            {
                                continue;
                            }

                            payload = _fragments.AsMemory(0, _fragmentLength);
                            _fragmentLength = 0;
                        }

                        int length = answer(payload, reply);
                        if (length > 0)
                        {
                            WriteFrame(0x1, reply.AsSpan(0, length));
                            Answered++;
                        }

                        break;
                    case 0x9:
                        WriteFrame(0xA, payload.Span);
                        break;
                    case 0x8:
                        WriteFrame(0x8, payload.Length >= 2 ? payload.Span[..2] : []);
                        closed = true;
                        break;
                }
            }

            if (_outLength > 0)
            {
                await _socket.SendAsync(_out.AsMemory(0, _outLength), SocketFlags.None, stop);
                _outLength = 0;
            }

            if (closed || await ReceiveAsync(stop) == 0)
            {
                break;
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string? Header(string[] lines, string name)
    {
        foreach (string line in lines)
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    // Reads more bytes after the unread ones (moved to the front, the buffer grown for a frame larger than it).
    private async ValueTask<int> ReceiveAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            _in.AsSpan(_start, _end - _start).CopyTo(_in);
            _end -= _start;
            _start = 0;
        }

        if (_end == _in.Length)
        {
            if (_in.Length >= MaxMessage + 14)
            {
                throw new IOException("A frame larger than the raw station accepts.");
            }

            Array.Resize(ref _in, Math.Min(_in.Length * 2, MaxMessage + 14));
        }

        int read = await _socket.ReceiveAsync(_in.AsMemory(_end), SocketFlags.None, cancellationToken);
        _end += read;
        return read;
    }

    // One whole frame from the unread bytes (a server's frames are not masked, but a masked one is unmasked in place).
    private bool TryReadFrame(out bool fin, out int opcode, out ReadOnlyMemory<byte> payload)
    {
        fin = false;
        opcode = 0;
        payload = default;
        ReadOnlySpan<byte> data = _in.AsSpan(_start, _end - _start);
        if (data.Length < 2)
        {
            return false;
        }

        fin = (data[0] & 0x80) != 0;
        opcode = data[0] & 0x0F;
        bool masked = (data[1] & 0x80) != 0;
        long length = data[1] & 0x7F;
        int header = 2;
        if (length == 126)
        {
            if (data.Length < 4)
            {
                return false;
            }

            length = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
            header = 4;
        }
        else if (length == 127)
        {
            if (data.Length < 10)
            {
                return false;
            }

            length = (long)BinaryPrimitives.ReadUInt64BigEndian(data[2..]);
            header = 10;
        }

        if (length > MaxMessage)
        {
            throw new IOException($"A {length}-byte frame: more than the raw station accepts.");
        }

        int maskAt = header;
        if (masked)
        {
            header += 4;
        }

        if (data.Length < header + length)
        {
            return false;
        }

        if (masked)
        {
            Span<byte> body = _in.AsSpan(_start + header, (int)length);
            for (int i = 0; i < body.Length; i++)
            {
                body[i] ^= _in[_start + maskAt + (i & 3)];
            }
        }

        payload = _in.AsMemory(_start + header, (int)length);
        _start += header + (int)length;
        return true;
    }

    private void AppendFragment(ReadOnlySpan<byte> part)
    {
        if (_fragmentLength + part.Length > MaxMessage)
        {
            throw new IOException("A fragmented message larger than the raw station accepts.");
        }

        if (_fragments is null || _fragments.Length < _fragmentLength + part.Length)
        {
            Array.Resize(ref _fragments, Math.Max(4096, 2 * (_fragmentLength + part.Length)));
        }

        part.CopyTo(_fragments.AsSpan(_fragmentLength));
        _fragmentLength += part.Length;
    }

    // A client frame (always masked, RFC 6455 5.3) appended to what the next send carries.
    private void WriteFrame(int opcode, ReadOnlySpan<byte> payload)
    {
        int header = payload.Length < 126 ? 2 : payload.Length <= ushort.MaxValue ? 4 : 10;
        int size = header + 4 + payload.Length;
        if (_outLength + size > _out.Length)
        {
            Array.Resize(ref _out, Math.Max(_out.Length * 2, _outLength + size));
        }

        Span<byte> frame = _out.AsSpan(_outLength, size);
        frame[0] = (byte)(0x80 | opcode);
        if (header == 2)
        {
            frame[1] = (byte)(0x80 | payload.Length);
        }
        else if (header == 4)
        {
            frame[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame[2..], (ushort)payload.Length);
        }
        else
        {
            frame[1] = 0x80 | 127;
            BinaryPrimitives.WriteUInt64BigEndian(frame[2..], (ulong)payload.Length);
        }

        _mask.CopyTo(frame[header..]);
        Span<byte> body = frame[(header + 4)..];
        for (int i = 0; i < payload.Length; i++)
        {
            body[i] = (byte)(payload[i] ^ _mask[i & 3]);
        }

        _outLength += size;
    }
}

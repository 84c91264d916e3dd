using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace Ocpp.Rpc.Transport;

/// <summary>
/// Adapts any <see cref="WebSocket"/> (a <see cref="ClientWebSocket"/>, one accepted by Kestrel, or one made by
/// <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/>) to <see cref="IOcppTransport"/>.
/// </summary>
public sealed class WebSocketTransport : IOcppTransport
{
    private const int MaxCloseReasonBytes = 123;
    private const int ReceiveChunk = 4096;
    private const int BusyChunk = 512;

    // A connection whose last message arrived this soon after it was asked for counts as busy (1 ms).
    private static readonly long BusyGap = Stopwatch.Frequency / 1000;

    private readonly WebSocket _socket;
    private readonly bool _ownsSocket;
    private bool _busy;

    /// <summary>Wraps an open WebSocket.</summary>
    /// <param name="socket">The socket, already connected.</param>
    /// <param name="ownsSocket">Whether disposing the transport disposes the socket.</param>
    public WebSocketTransport(WebSocket socket, bool ownsSocket = true)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _socket = socket;
        _ownsSocket = ownsSocket;
    }

    /// <inheritdoc/>
    public string? Subprotocol => string.IsNullOrEmpty(_socket.SubProtocol) ? null : _socket.SubProtocol;

    /// <summary>The wrapped socket.</summary>
    public WebSocket Socket => _socket;

    /// <inheritdoc/>
    public ValueTask SendAsync(ReadOnlyMemory<byte> utf8Message, CancellationToken cancellationToken = default) =>
        _socket.SendAsync(utf8Message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<TransportReceiveResult> ReceiveAsync(IBufferWriter<byte> destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);

        // A quiet connection waits with a zero-byte read: it asks the destination for no memory until a frame has
        // arrived, so an idle connection holds no receive buffer (the WebSocket answers pings meanwhile). A busy one
        // (the last message came within BusyGap of asking for it) reads straight into a small chunk instead, which
        // saves a pass through the WebSocket and the stream under it per message; at worst it holds that chunk
        // while it waits after its last burst.
        long started = Stopwatch.GetTimestamp();
        ValueWebSocketReceiveResult first = await _socket.ReceiveAsync(_busy ? destination.GetMemory(BusyChunk) : Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        _busy = Stopwatch.GetTimestamp() - started < BusyGap;
        if (first.MessageType == WebSocketMessageType.Close)
        {
            return TransportReceiveResult.Closed(_socket.CloseStatus is { } closeStatus ? (int)closeStatus : null, _socket.CloseStatusDescription);
        }

        destination.Advance(first.Count);
        if (first.EndOfMessage)
        {
            return first.MessageType == WebSocketMessageType.Text ? TransportReceiveResult.Text : TransportReceiveResult.Binary;
        }

        while (true)
        {
            Memory<byte> memory = destination.GetMemory(ReceiveChunk);
            ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(memory, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return TransportReceiveResult.Closed(_socket.CloseStatus is { } status ? (int)status : null, _socket.CloseStatusDescription);
            }

            destination.Advance(result.Count);
            if (result.EndOfMessage)
            {
                return result.MessageType == WebSocketMessageType.Text ? TransportReceiveResult.Text : TransportReceiveResult.Binary;
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask CloseAsync(int closeCode, string? reason, CancellationToken cancellationToken = default)
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            // Close output only: the engine's receive loop reads the peer's close frame.
            await _socket.CloseOutputAsync((WebSocketCloseStatus)closeCode, Truncate(reason), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Abort() => _socket.Abort();

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        if (_ownsSocket)
        {
            _socket.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static string? Truncate(string? reason)
    {
        if (reason is null || Encoding.UTF8.GetByteCount(reason) <= MaxCloseReasonBytes)
        {
            return reason;
        }

        int length = reason.Length;
        while (Encoding.UTF8.GetByteCount(reason.AsSpan(0, length)) > MaxCloseReasonBytes)
        {
            length--;
        }

        return reason[..length];
    }
}

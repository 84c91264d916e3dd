using System.Buffers;
using System.Net.WebSockets;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.AspNetCore.Internal;

/// <summary>
/// <see cref="WebSocketTransport"/> for accepted sockets, with one difference when receiving: after a message
/// turns out larger than the limit, the rest of it is read and discarded (bounded) before the error propagates.
/// The engine then sends its 1009 close and drops the link; without the drain (and the linger in <see cref="Abort"/>)
/// the TCP connection is reset and the station never sees the 1009.
/// </summary>
internal sealed class ServerWebSocketTransport(WebSocket socket, TimeSpan drainTimeout) : IOcppTransport
{
    private const int ReceiveChunk = 4096;
    private const long MaxDrainBytes = 16L * 1024 * 1024;
    private readonly WebSocketTransport _inner = new(socket);
    private int _receiving;
    private Task? _linger;

    public string? Subprotocol => _inner.Subprotocol;

    public ValueTask SendAsync(ReadOnlyMemory<byte> utf8Message, CancellationToken cancellationToken = default) =>
        _inner.SendAsync(utf8Message, cancellationToken);

    public async ValueTask<TransportReceiveResult> ReceiveAsync(IBufferWriter<byte> destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Interlocked.Increment(ref _receiving);
        try
        {
            return await ReceiveCoreAsync(destination, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _receiving);
        }
    }

    private async ValueTask<TransportReceiveResult> ReceiveCoreAsync(IBufferWriter<byte> destination, CancellationToken cancellationToken)
    {
        while (true)
        {
            Memory<byte> memory;
            try
            {
                memory = destination.GetMemory(ReceiveChunk);
            }
            catch (MessageTooLargeException)
            {
                await DrainAsync(untilClose: false).ConfigureAwait(false);
                throw;
            }

            ValueWebSocketReceiveResult result = await socket.ReceiveAsync(memory, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return TransportReceiveResult.Closed(socket.CloseStatus is { } status ? (int)status : null, socket.CloseStatusDescription);
            }

            try
            {
                destination.Advance(result.Count);
            }
            catch (MessageTooLargeException) when (!result.EndOfMessage)
            {
                await DrainAsync(untilClose: false).ConfigureAwait(false);
                throw;
            }

            if (result.EndOfMessage)
            {
                return result.MessageType == WebSocketMessageType.Text ? TransportReceiveResult.Text : TransportReceiveResult.Binary;
            }
        }
    }

    public ValueTask CloseAsync(int closeCode, string? reason, CancellationToken cancellationToken = default) =>
        _inner.CloseAsync(closeCode, reason, cancellationToken);

    // The engine drops the link right after its own close frame when it stops reading (oversized message). Dropping
    // at once makes Kestrel reset the TCP connection, and the reset discards the close frame before the station
    // reads it. So when our close is out and nobody is reading, wait (bounded) for the station's close first.
    public void Abort()
    {
        if (socket.State == WebSocketState.CloseSent && Volatile.Read(ref _receiving) == 0 && _linger is null)
        {
            _linger = LingerThenAbortAsync();
            return;
        }

        _inner.Abort();
    }

    public async ValueTask DisposeAsync()
    {
        if (_linger is { } linger)
        {
            await linger.ConfigureAwait(false);
        }

        await _inner.DisposeAsync().ConfigureAwait(false);
    }

    private async Task LingerThenAbortAsync()
    {
        await DrainAsync(untilClose: true).ConfigureAwait(false);
        _inner.Abort();
    }

    // Best effort: reads and discards until the end of the message (or the peer's close frame), MaxDrainBytes, the
    // timeout, or any failure.
    private async Task DrainAsync(bool untilClose)
    {
        byte[] scratch = ArrayPool<byte>.Shared.Rent(ReceiveChunk);
        try
        {
            using var timeout = new CancellationTokenSource(drainTimeout);
            long drained = 0;
            while (drained < MaxDrainBytes)
            {
                ValueWebSocketReceiveResult result = await socket.ReceiveAsync(scratch.AsMemory(), timeout.Token).ConfigureAwait(false);
                drained += result.Count;
                if (result.MessageType == WebSocketMessageType.Close || (result.EndOfMessage && !untilClose))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // The link is going down anyway.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}

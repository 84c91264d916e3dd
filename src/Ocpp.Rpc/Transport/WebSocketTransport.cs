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

    // How long a connection closed by the guard gets to answer the close frame before the link is dropped.
    private static readonly TimeSpan GuardCloseGrace = TimeSpan.FromSeconds(2);

    // A connection whose last message arrived this soon after it was asked for counts as busy (1 ms).
    private static readonly long BusyGap = Stopwatch.Frequency / 1000;

    private readonly WebSocket _socket;
    private readonly bool _ownsSocket;
    private readonly IncompleteMessageGuard? _guard;
    private bool _busy;

    private readonly ReceiveRateLimit? _rate;

    // Set when the guard closed the link under an incomplete message: the receive then reports that, not a failure.
    private TransportClosedException? _closedByGuard;
    private TaskCompletionSource? _receiveEnded;

    /// <summary>Wraps an open WebSocket.</summary>
    /// <param name="socket">The socket, already connected.</param>
    /// <param name="options">Ownership of the socket and the bounds on what the peer makes it read; <see cref="WebSocketTransportOptions.Default"/> when null.</param>
    public WebSocketTransport(WebSocket socket, WebSocketTransportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        options ??= WebSocketTransportOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxReceiveBytesPerSecond, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.ReceiveBurstBytes, nameof(options));
        _socket = socket;
        _ownsSocket = options.OwnsSocket;
        _guard = options.IncompleteMessages;
        if (options.MaxReceiveBytesPerSecond > 0)
        {
            long burst = options.ReceiveBurstBytes > 0 ? options.ReceiveBurstBytes : options.MaxReceiveBytesPerSecond;
            _rate = new ReceiveRateLimit(options.MaxReceiveBytesPerSecond, burst, options.TimeProvider ?? TimeProvider.System);
        }
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
        if (_rate is { InDebt: true })
        {
            await _rate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

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
            _rate?.Spend(first.Count);
            return first.MessageType == WebSocketMessageType.Text ? TransportReceiveResult.Text : TransportReceiveResult.Binary;
        }

        return await ReceiveRestAsync(destination, first.Count, cancellationToken).ConfigureAwait(false);
    }

    // The rest of a message whose first fragment has arrived. A message that has to wait for the network from here on
    // is watched by the guard until it completes: a deadline from its first fragment, and its bytes on the budget.
    private async ValueTask<TransportReceiveResult> ReceiveRestAsync(IBufferWriter<byte> destination, long received, CancellationToken cancellationToken)
    {
        long firstFragment = _guard?.TimeProvider.GetTimestamp() ?? 0;
        IncompleteMessageGuard.Entry? watched = null;
        try
        {
            while (true)
            {
                Memory<byte> memory = destination.GetMemory(ReceiveChunk);
                ValueTask<ValueWebSocketReceiveResult> receive = _socket.ReceiveAsync(memory, cancellationToken);
                if (!receive.IsCompleted && _guard is not null && watched is null)
                {
                    watched = _guard.Register(this, firstFragment, received);
                }

                ValueWebSocketReceiveResult result = await receive.ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return Volatile.Read(ref _closedByGuard) is { } ours
                        ? throw ours
                        : TransportReceiveResult.Closed(_socket.CloseStatus is { } status ? (int)status : null, _socket.CloseStatusDescription);
                }

                destination.Advance(result.Count);
                received += result.Count;
                if (watched is not null)
                {
                    _guard!.Add(watched, result.Count);
                }

                if (result.EndOfMessage)
                {
                    _rate?.Spend(received);
                    return result.MessageType == WebSocketMessageType.Text ? TransportReceiveResult.Text : TransportReceiveResult.Binary;
                }
            }
        }
        catch (Exception ex) when (Volatile.Read(ref _closedByGuard) is { } ours && ex is not TransportClosedException)
        {
            throw ours; // The guard aborted the link under this read.
        }
        finally
        {
            if (watched is not null)
            {
                _guard!.Unregister(watched);
                Volatile.Read(ref _receiveEnded)?.TrySetResult();
            }
        }
    }

    // Called by the guard (from its timer, or from another connection's read that went over the budget): send the
    // close frame, give the peer a moment to answer it (so it gets the frame, not a bare TCP close), then drop the link.
    internal void CloseForGuard(int code, string reason)
    {
        var exception = new TransportClosedException(code, reason);
        if (Interlocked.CompareExchange(ref _closedByGuard, exception, null) is not null)
        {
            return;
        }

        Volatile.Write(ref _receiveEnded, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _ = CloseThenAbortAsync(code, reason);
    }

    private async Task CloseThenAbortAsync(int code, string reason)
    {
        try
        {
            using var timeout = new CancellationTokenSource(GuardCloseGrace);
            await CloseAsync(code, reason, timeout.Token).ConfigureAwait(false);
            await _receiveEnded!.Task.WaitAsync(GuardCloseGrace).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The peer did not answer in time, or the link is already gone.
        }
        finally
        {
            _socket.Abort();
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

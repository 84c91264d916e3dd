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

    // A message this large is watched by the guard even while its data keeps coming without a wait (a compressed
    // fragment inflating), so its bytes are on the budget long before it is whole.
    private const int WatchFrom = 64 * 1024;

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
    private GuardClose? _guardClose;

    // The token of the watched message's reads, through which the guard ends a read waiting for the rest of it.
    private CancellationTokenSource? _watchedRead;

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

    // The rest of a message whose first fragment has arrived. A message that has to wait for the network from here on,
    // or grows past WatchFrom (one compressed fragment inflates in many reads that never wait), is watched by the guard
    // until it completes: a deadline from its first fragment, and its bytes on the budget. Once the guard closes the
    // link, no more is read or inflated: the close frame goes out and the receive ends, which drops the buffer.
    private async ValueTask<TransportReceiveResult> ReceiveRestAsync(IBufferWriter<byte> destination, long received, CancellationToken cancellationToken)
    {
        long firstFragment = _guard?.TimeProvider.GetTimestamp() ?? 0;
        IncompleteMessageGuard.Entry? watched = null;
        CancellationTokenSource? watchedRead = null;
        try
        {
            while (true)
            {
                if (watched is not null && Volatile.Read(ref _guardClose) is { } closing)
                {
                    await closing.Sent.Task.ConfigureAwait(false);
                    throw closing.Exception;
                }

                if (watched is null && _guard is not null && received >= WatchFrom)
                {
                    (watched, watchedRead) = Watch(firstFragment, received, cancellationToken);
                    continue;
                }

                Memory<byte> memory = destination.GetMemory(ReceiveChunk);
                if (watched is not null && memory.Length > ReceiveChunk)
                {
                    memory = memory[..ReceiveChunk]; // The budget is checked after every chunk: it is overrun by one at most.
                }

                ValueTask<ValueWebSocketReceiveResult> receive = _socket.ReceiveAsync(memory, watchedRead?.Token ?? cancellationToken);
                if (!receive.IsCompleted && _guard is not null && watched is null)
                {
                    (watched, watchedRead) = Watch(firstFragment, received, cancellationToken); // From the next read on, the guard can end it.
                }

                ValueWebSocketReceiveResult result = await receive.ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return Volatile.Read(ref _guardClose) is { } ours
                        ? throw ours.Exception
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
        catch (Exception ex) when (Volatile.Read(ref _guardClose) is { } ours && ex is not TransportClosedException)
        {
            throw ours.Exception; // The guard ended the read (or aborted the link) under this message.
        }
        finally
        {
            if (watched is not null)
            {
                _guard!.Unregister(watched);
                Volatile.Write(ref _watchedRead, null);
                watchedRead!.Dispose();
                Volatile.Read(ref _guardClose)?.ReceiveEnded.TrySetResult();
            }
        }
    }

    // Puts the message under the guard, with a token through which the guard can end its reads (made first: the guard
    // may close this link from within Register).
    private (IncompleteMessageGuard.Entry, CancellationTokenSource) Watch(long firstFragment, long received, CancellationToken cancellationToken)
    {
        CancellationTokenSource watchedRead = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken)
            : new CancellationTokenSource();
        Volatile.Write(ref _watchedRead, watchedRead);
        return (_guard!.Register(this, firstFragment, received), watchedRead);
    }

    // Called by the guard (from its timer, or from a read that went over the budget, maybe this connection's own):
    // send the close frame, end a read waiting for the rest of the message, give the peer a moment to answer the close
    // frame if the read could not be ended (so it gets the frame, not a bare TCP close), then drop the link.
    internal void CloseForGuard(int code, string reason)
    {
        var closing = new GuardClose(new TransportClosedException(code, reason));
        if (Interlocked.CompareExchange(ref _guardClose, closing, null) is null)
        {
            _ = CloseThenAbortAsync(closing, code, reason);
        }
    }

    private async Task CloseThenAbortAsync(GuardClose closing, int code, string reason)
    {
        try
        {
            try
            {
                using var timeout = new CancellationTokenSource(GuardCloseGrace);
                await CloseAsync(code, reason, timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                closing.Sent.TrySetResult();
            }

            try
            {
                // Ends the WebSocket (its read is cancelled), not the link under it: a server keeps that open until
                // the station has read the close frame.
                Volatile.Read(ref _watchedRead)?.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The message completed meanwhile.
            }

            await closing.ReceiveEnded.Task.WaitAsync(GuardCloseGrace).ConfigureAwait(false);
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

    // The guard's close of this link: the exception the receive ends with, and when the close frame went out and the
    // receive ended.
    private sealed class GuardClose(TransportClosedException exception)
    {
        public TransportClosedException Exception { get; } = exception;

        public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ReceiveEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

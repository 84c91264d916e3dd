using System.Buffers;
using System.Runtime.CompilerServices;

namespace Ocpp.Rpc.AspNetCore.Internal;

/// <summary>
/// The stream under a WebSocket the server upgraded itself (<see cref="WebSocketUpgrade"/>). It lets the server end a
/// failed connection the way RFC 6455 §7.1.1 asks: the runtime's WebSocket drops the link at once when it fails
/// (sometimes without a close frame, e.g. on a corrupt compressed message), and closing TCP with the rest of the
/// offending frame still unread makes the kernel send a reset that can destroy the close frame before the station
/// reads it. So the socket's dispose only marks this stream released; <see cref="FinishAsync"/> then sends the close
/// frame if none went out, reads and discards what the station still sends until it closes or a grace period ends
/// (a lingering close), and only then closes the link.
/// </summary>
internal sealed class UpgradedStream(Stream inner, Action abortConnection) : Stream
{
    // FIN + opcode 8. A server's frames are unmasked and the runtime writes each whole frame in one write.
    private const byte CloseFrameStart = 0x88;
    private const int Open = 0, Released = 1, Disposed = 2;

    /// <summary>How long a failed link stays open for the station to read the close frame and close its side.</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromSeconds(2);

    private int _state;
    private int _reading;
    private int _writing;
    private bool _cancellableRead;
    private bool _closeSent;
    private bool _endOfInput;

    // A read still in flight when the socket let go of the stream, being ended by its token: FinishAsync waits for it.
    private TaskCompletionSource? _releasedRead;

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>
    /// Ends the link once the WebSocket on it is done. A connection whose close handshake completed is closed at once;
    /// otherwise (unless the station already closed its side) a close frame with <paramref name="closeCode"/> is sent if
    /// the WebSocket sent none, and the station's remaining input is read and discarded for up to <paramref name="linger"/>.
    /// </summary>
    public async Task FinishAsync(bool closedCleanly, int closeCode, TimeSpan linger)
    {
        if (Interlocked.Exchange(ref _state, Disposed) == Disposed)
        {
            return; // Released with a read in flight (an aborted link): already closed.
        }

        byte[]? buffer = null;
        try
        {
            if (Volatile.Read(ref _releasedRead) is { } releasedRead)
            {
                await releasedRead.Task.ConfigureAwait(false); // Bounded: the link is aborted if it takes longer than Linger.
            }

            if (!closedCleanly && !_endOfInput)
            {
                using var timeout = new CancellationTokenSource(linger);
                if (!_closeSent)
                {
                    byte[] frame = [CloseFrameStart, 2, (byte)(closeCode >> 8), (byte)closeCode];
                    await inner.WriteAsync(frame, timeout.Token).ConfigureAwait(false);
                    await inner.FlushAsync(timeout.Token).ConfigureAwait(false);
                }

                buffer = ArrayPool<byte>.Shared.Rent(4096);
                while (await inner.ReadAsync(buffer, timeout.Token).ConfigureAwait(false) > 0)
                {
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The station did not close within the grace period, or the link is already gone.
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            await inner.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Volatile.Write(ref _reading, 1);
        _cancellableRead = cancellationToken.CanBeCanceled;
        ValueTask<int> read = inner.ReadAsync(buffer, cancellationToken);
        if (read.IsCompletedSuccessfully)
        {
            int count = read.Result;
            _endOfInput |= count == 0 && !buffer.IsEmpty;
            Volatile.Write(ref _reading, 0);
            Volatile.Read(ref _releasedRead)?.TrySetResult(); // Not a fence: at worst the released read is bounded by Linger.
            return new ValueTask<int>(count);
        }

        return AwaitReadAsync(read, buffer.IsEmpty);
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc/>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!buffer.IsEmpty && buffer.Span[0] == CloseFrameStart)
        {
            _closeSent = true;
        }

        Volatile.Write(ref _writing, 1);
        ValueTask write = inner.WriteAsync(buffer, cancellationToken);
        if (write.IsCompletedSuccessfully)
        {
            Volatile.Write(ref _writing, 0);
            return write;
        }

        return AwaitWriteAsync(write);
    }

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc/>
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    /// <inheritdoc/>
    public override void Flush() => inner.Flush();

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override ValueTask DisposeAsync()
    {
        Dispose(true);
        return ValueTask.CompletedTask;
    }

    // The WebSocket disposes its stream when it is disposed or aborted. With I/O in flight the link was aborted under
    // a waiting read or a stuck write (the server dropped it): end them now. Otherwise keep it for FinishAsync; so too
    // a read that its token is ending after the close frame went out (a transport ending a WebSocket under an
    // incomplete message, while the station still has to read the close frame), for at most Linger.
    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.CompareExchange(ref _state, Released, Open) == Open)
        {
            bool writing = Volatile.Read(ref _writing) == 1;
            if (!writing && _closeSent && _cancellableRead && Volatile.Read(ref _reading) == 1)
            {
                KeepReleasedRead();
            }
            else if ((writing || Volatile.Read(ref _reading) == 1) && Interlocked.Exchange(ref _state, Disposed) == Released)
            {
                abortConnection(); // Disposing the upgraded stream alone ends neither a waiting read nor a stuck write.
                inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private void KeepReleasedRead()
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _releasedRead, released); // A full fence: the read's end sees it, or this sees the end.
        if (Volatile.Read(ref _reading) == 0)
        {
            released.TrySetResult();
            return;
        }

        _ = AbortUnlessEndedAsync(released.Task);
    }

    private async Task AbortUnlessEndedAsync(Task ended)
    {
        if (await Task.WhenAny(ended, Task.Delay(Linger)).ConfigureAwait(false) != ended)
        {
            abortConnection(); // Its token did not end it after all: FinishAsync must not wait for it any longer.
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AwaitWriteAsync(ValueTask write)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _writing, 0);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> AwaitReadAsync(ValueTask<int> read, bool zeroByte)
    {
        try
        {
            int count = await read.ConfigureAwait(false);
            _endOfInput |= count == 0 && !zeroByte;
            return count;
        }
        finally
        {
            Interlocked.Exchange(ref _reading, 0); // A full fence: see KeepReleasedRead.
            Volatile.Read(ref _releasedRead)?.TrySetResult();
        }
    }
}

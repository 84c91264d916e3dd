using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Ocpp.Rpc.Redis.Internal;

/// <summary>
/// One open, authenticated node link: frames in on a read loop (handed to <c>onFrame</c> in order), frames out from
/// a queue that a write loop drains into one socket write per batch (many calls in flight share a send). The queue
/// holds at most <see cref="MaxQueuedBytes"/>: a peer that stops reading (stuck, not dead) makes <see cref="TrySend"/>
/// refuse, so calls go another way instead of piling up in memory. Closes on the first read or write failure, an
/// oversized frame, or <see cref="Close"/>; <c>onClosed</c> runs once.
/// </summary>
internal sealed class NodeLink
{
    private const int BatchBytes = 64 * 1024;

    /// <summary>The most bytes of frames waiting to be written: 16 MiB, or two of the largest frames if that is more.</summary>
    public static long QueueLimit(int maxFrameBytes) => Math.Max(16L * 1024 * 1024, 2L * maxFrameBytes);

    private readonly Socket _socket; // Owned by the stream (directly or under TLS); kept here to shut it down.
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly int _maxFrameBytes;
    private readonly Action<NodeLink, ReadOnlySpan<byte>> _onFrame;
    private readonly Action<NodeLink, Exception?> _onClosed;
    private readonly Channel<byte[]> _outgoing = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private long _queuedBytes;
    private volatile bool _closed;
    private int _closing;
    private Task _loops = Task.CompletedTask;

    public NodeLink(string peer, Socket socket, Stream stream, PipeReader reader, int maxFrameBytes, Action<NodeLink, ReadOnlySpan<byte>> onFrame, Action<NodeLink, Exception?> onClosed, long? maxQueuedBytes = null)
    {
        Peer = peer;
        MaxQueuedBytes = maxQueuedBytes ?? QueueLimit(maxFrameBytes);
        _socket = socket;
        _stream = stream;
        _reader = reader;
        _maxFrameBytes = maxFrameBytes;
        _onFrame = onFrame;
        _onClosed = onClosed;
    }

    /// <summary>The node at the other end.</summary>
    public string Peer { get; }

    /// <summary>The most bytes of frames the outgoing queue holds.</summary>
    public long MaxQueuedBytes { get; }

    /// <summary>Whether the link is still open.</summary>
    public bool IsOpen => !_closed;

    /// <summary>Completes when both loops have ended.</summary>
    public Task Completion => _loops;

    /// <summary>Starts reading and writing.</summary>
    public void Start() => _loops = Task.WhenAll(Task.Run(ReadLoopAsync), Task.Run(WriteLoopAsync));

    /// <summary>
    /// Queues one frame; false when the link is closed, its queue is full, or the frame is larger than the peer
    /// accepts (it would close the link and fail every call on it): the caller goes another way.
    /// </summary>
    public bool TrySend(byte[] payload)
    {
        if (_closed || payload.Length > _maxFrameBytes)
        {
            return false;
        }

        if (Interlocked.Add(ref _queuedBytes, payload.Length) > MaxQueuedBytes)
        {
            Interlocked.Add(ref _queuedBytes, -payload.Length);
            return false;
        }

        if (_outgoing.Writer.TryWrite(payload))
        {
            return true;
        }

        Interlocked.Add(ref _queuedBytes, -payload.Length);
        return false;
    }

    /// <summary>Closes the link (idempotent); frames still queued are dropped.</summary>
    public void Close(Exception? reason = null)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        _closed = true;
        _outgoing.Writer.TryComplete();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        try
        {
            // Closes the socket (the stream owns it) and frees the TLS state of an encrypted link.
            _stream.Dispose();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
        }

        _onClosed(this, reason);
    }

    private async Task ReadLoopAsync()
    {
        Exception? reason = null;
        byte[]? scratch = null;
        try
        {
            while (true)
            {
                ReadResult result = await _reader.ReadAsync().ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                while (NodeLinkFrames.TryRead(ref buffer, _maxFrameBytes, out ReadOnlySequence<byte> frame))
                {
                    if (frame.IsSingleSegment)
                    {
                        _onFrame(this, frame.FirstSpan);
                    }
                    else
                    {
                        int length = (int)frame.Length;
                        if (scratch is null || scratch.Length < length)
                        {
                            if (scratch is not null)
                            {
                                ArrayPool<byte>.Shared.Return(scratch);
                            }

                            scratch = ArrayPool<byte>.Shared.Rent(length);
                        }

                        frame.CopyTo(scratch);
                        _onFrame(this, scratch.AsSpan(0, length));
                    }
                }

                if (result.IsCompleted)
                {
                    break;
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
#pragma warning disable CA1031 // Any failure of the read side (the socket, an oversized frame, a frame handler) closes the link with its reason.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            reason = ex;
        }
        finally
        {
            if (scratch is not null)
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }

            await _reader.CompleteAsync().ConfigureAwait(false);
            Close(reason);
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new ArrayBufferWriter<byte>(BatchBytes);
        ChannelReader<byte[]> outgoing = _outgoing.Reader;
        try
        {
            while (await outgoing.WaitToReadAsync().ConfigureAwait(false))
            {
                batch.ResetWrittenCount();
                while (batch.WrittenCount < BatchBytes && outgoing.TryRead(out byte[]? frame))
                {
                    NodeLinkFrames.Write(batch, frame);
                    Interlocked.Add(ref _queuedBytes, -frame.Length);
                }

                await _stream.WriteAsync(batch.WrittenMemory).ConfigureAwait(false);
                if (batch.Capacity > 16 * BatchBytes)
                {
                    // One huge frame went out: do not keep its buffer for the life of the link.
                    batch = new ArrayBufferWriter<byte>(BatchBytes);
                }
            }
        }
#pragma warning disable CA1031 // Any failure of the write side closes the link, so its calls fail now instead of stalling.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Close(ex);
        }
    }
}

using System.Buffers;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.Internal;

/// <summary>
/// A growable <see cref="IBufferWriter{T}"/> over <see cref="ArrayPool{T}"/> with an optional size limit. Used for the
/// receive buffer (limit = max message size) and for outgoing frames.
/// </summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int MinimumSize = 256;
    private byte[] _buffer;
    private int _written;

    /// <param name="initialSize">The first buffer's size; 0 rents nothing until something is written.</param>
    /// <param name="maxSize">The size limit (a larger message throws <see cref="MessageTooLargeException"/>).</param>
    public PooledBufferWriter(int initialSize = 1024, int maxSize = int.MaxValue)
    {
        MaxSize = maxSize;
        _buffer = initialSize == 0 ? [] : ArrayPool<byte>.Shared.Rent(Math.Max(initialSize, MinimumSize));
    }

    public int MaxSize { get; set; }

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public int WrittenCount => _written;

    public void Clear() => _written = 0;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_written + count > _buffer.Length)
        {
            throw new InvalidOperationException("Advanced past the end of the buffer.");
        }

        _written += count;
        if (_written > MaxSize)
        {
            throw new MessageTooLargeException(MaxSize);
        }
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Returns a large buffer to the pool after an unusually big message, so idle connections stay small.</summary>
    public void ShrinkTo(int size)
    {
        if (_buffer.Length > size * 4)
        {
            byte[] old = _buffer;
            _buffer = ArrayPool<byte>.Shared.Rent(size);
            ArrayPool<byte>.Shared.Return(old);
            _written = 0;
        }
    }

    /// <summary>
    /// Hands the pooled buffer (with what was written, from offset 0) to the caller, who returns it to
    /// <see cref="ArrayPool{T}.Shared"/>; the writer stays usable and rents again when written to.
    /// </summary>
    public byte[] Detach()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _written = 0;
        return buffer;
    }

    /// <summary>Returns the buffer to the pool (the writer stays usable and rents again when written to).</summary>
    public void Release()
    {
        byte[] old = Detach();
        if (old.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(old);
        }
    }

    public void Dispose() => Release();

    private void Ensure(int sizeHint)
    {
        if (sizeHint < 1)
        {
            sizeHint = MinimumSize;
        }

        if (_written >= MaxSize && MaxSize != int.MaxValue)
        {
            // The transport asks for room beyond the limit: the message is too large.
            throw new MessageTooLargeException(MaxSize);
        }

        if (_buffer.Length - _written >= sizeHint)
        {
            return;
        }

        long needed = (long)_written + sizeHint;
        long newSize = Math.Max(needed, (long)_buffer.Length * 2);
        if (MaxSize != int.MaxValue)
        {
            // Never allocate far past the limit: one extra byte is enough to detect an oversized message.
            newSize = Math.Min(newSize, Math.Max(needed, (long)MaxSize + 1));
        }

        byte[] next = ArrayPool<byte>.Shared.Rent((int)Math.Min(newSize, Array.MaxLength));
        _buffer.AsSpan(0, _written).CopyTo(next);
        byte[] old = _buffer;
        _buffer = next;
        if (old.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(old);
        }
    }
}

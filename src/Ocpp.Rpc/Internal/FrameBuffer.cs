using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ocpp.Rpc.Internal;

/// <summary>
/// An outgoing frame under construction: a pooled buffer plus a reusable <see cref="Utf8JsonWriter"/>. Rented from a
/// small process-wide pool so that sending a message allocates nothing in the steady state.
/// </summary>
internal sealed class FrameBuffer : IDisposable
{
    private const int MaxPooled = 64;
    private const int MaxPooledCapacity = 64 * 1024;
    private static readonly ConcurrentQueue<FrameBuffer> Pool = new();
    private static int _pooledCount;

    // OCPP payloads are plain JSON: escape only what JSON requires, so non-ASCII text stays readable on the wire.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };

    private readonly PooledBufferWriter _buffer = new(512);

    private FrameBuffer()
    {
        Writer = new Utf8JsonWriter(_buffer, WriterOptions);
    }

    public Utf8JsonWriter Writer { get; }

    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    /// <summary>Bytes written so far, including what the JSON writer has not flushed yet.</summary>
    public int Position => _buffer.WrittenCount + (int)Writer.BytesPending;

    public static FrameBuffer Rent()
    {
        if (Pool.TryDequeue(out FrameBuffer? buffer))
        {
            Interlocked.Decrement(ref _pooledCount);
            return buffer;
        }

        return new FrameBuffer();
    }

    public void Dispose()
    {
        Writer.Reset(_buffer);
        _buffer.Clear();
        _buffer.ShrinkTo(MaxPooledCapacity);
        if (Interlocked.Increment(ref _pooledCount) <= MaxPooled)
        {
            Pool.Enqueue(this);
        }
        else
        {
            Interlocked.Decrement(ref _pooledCount);
            Writer.Dispose();
            _buffer.Dispose();
        }
    }
}

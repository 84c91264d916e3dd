using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ocpp.Rpc.Framing;

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

    // Printable ASCII (0x20-0x7E) but '"' and '\\'.
    private static readonly System.Buffers.SearchValues<char> PlainChars = System.Buffers.SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

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

    /// <summary>Writes <c>[3, id, payload]</c> (see <see cref="OcppFrameWriter.WriteResult"/>); returns where the payload is.</summary>
    public Range WriteResult(string messageId, in OcppPayload payload) =>
        IsPlain(messageId)
            ? WriteFrame(OcppMessageType.CallResult, messageId, null, payload)
            : OcppFrameWriter.WriteResult(Writer, messageId, payload);

    /// <summary>Writes <c>[2, id, action, payload]</c> or <c>[6, ...]</c> (see <see cref="OcppFrameWriter.WriteCall"/>); returns where the payload is.</summary>
    public Range WriteCall(OcppMessageType type, string messageId, string action, in OcppPayload payload) =>
        IsPlain(messageId) && IsPlain(action)
            ? WriteFrame(type, messageId, action, payload)
            : OcppFrameWriter.WriteCall(Writer, type, messageId, action, payload);

    public static FrameBuffer Rent()
    {
        if (Pool.TryDequeue(out FrameBuffer? buffer))
        {
            Interlocked.Decrement(ref _pooledCount);
            return buffer;
        }

        return new FrameBuffer();
    }

    // [type,"id",("action",)payload]: the envelope is written straight into the buffer (the frame writer's array,
    // number and string steps, and its escaping scan, cost more than the small payload of a typical reply); the
    // payload goes through the JSON writer as one root value, which checks raw JSON exactly as inside the array.
    private Range WriteFrame(OcppMessageType type, string messageId, string? action, in OcppPayload payload)
    {
        Span<byte> head = _buffer.GetSpan(3 + messageId.Length + 3 + (action is null ? 0 : action.Length + 3));
        head[0] = (byte)'[';
        head[1] = (byte)('0' + (int)type);
        head[2] = (byte)',';
        int start = 3 + WriteQuoted(messageId, head[3..]);
        if (action is not null)
        {
            start += WriteQuoted(action, head[start..]);
        }

        _buffer.Advance(start);
        payload.WriteTo(Writer);
        Writer.Flush();
        int end = _buffer.WrittenCount;
        _buffer.GetSpan(1)[0] = (byte)']';
        _buffer.Advance(1);
        return start..end;
    }

    // `"text",` for text that IsPlain accepted; returns the bytes written.
    private static int WriteQuoted(string text, Span<byte> destination)
    {
        destination[0] = (byte)'"';
        System.Text.Ascii.FromUtf16(text, destination[1..], out int written);
        destination[written + 1] = (byte)'"';
        destination[written + 2] = (byte)',';
        return written + 3;
    }

    // Printable ASCII without '"' or '\\': written as is, exactly what the JSON writer would write for it.
    private static bool IsPlain(string text) => !text.AsSpan().ContainsAnyExcept(PlainChars);

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

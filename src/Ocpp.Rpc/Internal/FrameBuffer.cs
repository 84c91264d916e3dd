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
    public Range WriteResult(string messageId, in OcppPayload payload)
    {
        if (!IsPlain(messageId))
        {
            return OcppFrameWriter.WriteResult(Writer, messageId, payload);
        }

        Span<byte> head = _buffer.GetSpan(messageId.Length + 6);
        "[3,\""u8.CopyTo(head);
        int length = 4 + Ascii(messageId, head[4..]);
        head[length++] = (byte)'"';
        head[length++] = (byte)',';
        _buffer.Advance(length);
        return WritePayloadAndClose(length, payload);
    }

    /// <summary>Writes <c>[2, id, action, payload]</c> or <c>[6, ...]</c> (see <see cref="OcppFrameWriter.WriteCall"/>); returns where the payload is.</summary>
    public Range WriteCall(OcppMessageType type, string messageId, string action, in OcppPayload payload)
    {
        if (!IsPlain(messageId) || !IsPlain(action))
        {
            return OcppFrameWriter.WriteCall(Writer, type, messageId, action, payload);
        }

        Span<byte> head = _buffer.GetSpan(messageId.Length + action.Length + 9);
        head[0] = (byte)'[';
        head[1] = (byte)('0' + (int)type);
        head[2] = (byte)',';
        head[3] = (byte)'"';
        int length = 4 + Ascii(messageId, head[4..]);
        "\",\""u8.CopyTo(head[length..]);
        length += 3;
        length += Ascii(action, head[length..]);
        head[length++] = (byte)'"';
        head[length++] = (byte)',';
        _buffer.Advance(length);
        return WritePayloadAndClose(length, payload);
    }

    public static FrameBuffer Rent()
    {
        if (Pool.TryDequeue(out FrameBuffer? buffer))
        {
            Interlocked.Decrement(ref _pooledCount);
            return buffer;
        }

        return new FrameBuffer();
    }

    // The envelope is written straight into the buffer (the frame writer's array, number and string steps, and the
    // escaping scan, cost more than the small payload of a typical reply); the payload goes through the JSON writer
    // as one root value, which checks raw JSON exactly as inside the array.
    private Range WritePayloadAndClose(int start, in OcppPayload payload)
    {
        payload.WriteTo(Writer);
        Writer.Flush();
        int end = _buffer.WrittenCount;
        _buffer.GetSpan(1)[0] = (byte)']';
        _buffer.Advance(1);
        return start..end;
    }

    // Printable ASCII without '"' or '\\': written as is, exactly what the JSON writer would write for it.
    private static bool IsPlain(string text)
    {
        foreach (char c in text)
        {
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\')
            {
                return false;
            }
        }

        return true;
    }

    private static int Ascii(string text, Span<byte> destination)
    {
        System.Text.Ascii.FromUtf16(text, destination, out int written);
        return written;
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

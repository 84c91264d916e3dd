using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace Ocpp.Rpc.Redis.Internal;

/// <summary>
/// The framing of a node link: each frame is a 4-byte big-endian length and that many bytes (a UTF-8 JSON
/// <see cref="ClusterMessage"/> once linked, a <see cref="NodeLinkHello"/> during the handshake).
/// </summary>
internal static class NodeLinkFrames
{
    /// <summary>The largest handshake frame: ids, nonces and proofs only.</summary>
    public const int MaxHandshakeFrameBytes = 4096;

    private const int HeaderBytes = 4;

    /// <summary>Appends one frame to <paramref name="buffer"/>.</summary>
    public static void Write(IBufferWriter<byte> buffer, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = buffer.GetSpan(HeaderBytes);
        BinaryPrimitives.WriteInt32BigEndian(header, payload.Length);
        buffer.Advance(HeaderBytes);
        buffer.Write(payload);
    }

    /// <summary>
    /// Takes one whole frame off the front of <paramref name="buffer"/>, if there is one.
    /// </summary>
    /// <exception cref="InvalidDataException">The frame announces more than <paramref name="maxBytes"/>.</exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maxBytes, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        if (buffer.Length < HeaderBytes)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderBytes];
        buffer.Slice(0, HeaderBytes).CopyTo(header);
        int length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length < 0 || length > maxBytes)
        {
            throw new InvalidDataException($"A node-link frame of {(uint)length} bytes exceeds the limit of {maxBytes}.");
        }

        if (buffer.Length < HeaderBytes + length)
        {
            return false;
        }

        frame = buffer.Slice(HeaderBytes, length);
        buffer = buffer.Slice(HeaderBytes + length);
        return true;
    }

    /// <summary>Reads one frame (a copy), for the handshake.</summary>
    /// <exception cref="EndOfStreamException">The peer closed before a whole frame arrived.</exception>
    public static async ValueTask<byte[]> ReadAsync(PipeReader reader, int maxBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (TryRead(ref buffer, maxBytes, out ReadOnlySequence<byte> frame))
            {
                byte[] copy = frame.ToArray();
                reader.AdvanceTo(buffer.Start);
                return copy;
            }

            if (result.IsCompleted)
            {
                throw new EndOfStreamException("The peer closed the node link during the handshake.");
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}

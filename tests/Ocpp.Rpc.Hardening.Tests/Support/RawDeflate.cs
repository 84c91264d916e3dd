using System.IO.Compression;

namespace Ocpp.Rpc.Hardening.Tests.Support;

/// <summary>permessage-deflate payloads (RFC 7692 §7.2.1) made by hand: raw DEFLATE, sync-flushed, tail removed.</summary>
internal static class RawDeflate
{
    /// <summary>One message compressed with a fresh context (as under client_no_context_takeover).</summary>
    public static byte[] Compress(ReadOnlySpan<byte> message)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(message);
            deflate.Flush(); // Z_SYNC_FLUSH: ends with the empty stored block 00 00 FF FF
        }

        byte[] all = output.ToArray();
        int end = all.AsSpan().LastIndexOf((ReadOnlySpan<byte>)[0x00, 0x00, 0xFF, 0xFF]);
        return all[..end];
    }

    /// <summary>Inflates one message with a fresh context; throws when it refers to an earlier message's window.</summary>
    public static byte[] Decompress(byte[] payload)
    {
        using var input = new MemoryStream([.. payload, 0x00, 0x00, 0xFF, 0xFF]);
        using var inflate = new DeflateStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        inflate.CopyTo(output);
        return output.ToArray();
    }
}

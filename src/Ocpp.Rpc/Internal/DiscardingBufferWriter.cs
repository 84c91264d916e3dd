using System.Buffers;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.Internal;

/// <summary>Accepts bytes into one reused scratch buffer and forgets them, up to a budget (for draining a link).</summary>
internal sealed class DiscardingBufferWriter(long budget) : IBufferWriter<byte>
{
    private readonly byte[] _scratch = new byte[8192];
    private long _discarded;

    public void Advance(int count)
    {
        _discarded += count;
        if (_discarded > budget)
        {
            throw new MessageTooLargeException((int)Math.Min(budget, int.MaxValue));
        }
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => _scratch;

    public Span<byte> GetSpan(int sizeHint = 0) => _scratch;
}

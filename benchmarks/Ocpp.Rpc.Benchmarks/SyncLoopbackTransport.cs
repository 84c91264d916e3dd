using System.Buffers;
using System.Threading.Tasks.Sources;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.Benchmarks;

/// <summary>
/// A fake <see cref="IOcppTransport"/> for benchmarks. <see cref="Deliver"/> completes the engine's pending receive
/// inline, so the engine processes the frame on the caller's thread; sends are counted and, with
/// <see cref="AnswerCalls"/>, every CALL is answered at once with <c>[3, id, AnswerCalls]</c>. Allocates nothing
/// per message itself.
/// </summary>
public sealed class SyncLoopbackTransport : IOcppTransport, IValueTaskSource<TransportReceiveResult>
{
    private readonly Lock _lock = new();
    private readonly byte[] _reply = new byte[4096];
    private ManualResetValueTaskSourceCore<TransportReceiveResult> _core;
    private IBufferWriter<byte>? _destination;
    private ReadOnlyMemory<byte> _queued;
    private bool _waiting;

    public SyncLoopbackTransport(string subprotocol)
    {
        Subprotocol = subprotocol;
        _core.RunContinuationsAsynchronously = false;
    }

    public string? Subprotocol { get; }

    /// <summary>When set, each CALL sent is answered with a CALLRESULT carrying this payload.</summary>
    public byte[]? AnswerCalls { get; init; }

    public int Sent { get; private set; }

    public byte[] LastSent { get; private set; } = [];

    public void WaitUntilReading()
    {
        SpinWait.SpinUntil(() => { lock (_lock) { return _waiting; } });
    }

    /// <summary>Hands one message to the engine; returns once the engine is waiting for the next one.</summary>
    public int Deliver(ReadOnlyMemory<byte> message)
    {
        lock (_lock)
        {
            if (!_waiting)
            {
                _queued = message;
                return Sent;
            }

            _waiting = false;
            _destination!.Write(message.Span);
        }

        _core.SetResult(TransportReceiveResult.Text);
        return Sent;
    }

    public ValueTask<TransportReceiveResult> ReceiveAsync(IBufferWriter<byte> destination, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_queued.IsEmpty)
            {
                destination.Write(_queued.Span);
                _queued = default;
                return new ValueTask<TransportReceiveResult>(TransportReceiveResult.Text);
            }

            _core.Reset();
            _destination = destination;
            _waiting = true;
            return new ValueTask<TransportReceiveResult>(this, _core.Version);
        }
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> utf8Message, CancellationToken cancellationToken = default)
    {
        Sent++;
        ReadOnlySpan<byte> frame = utf8Message.Span;
        if (AnswerCalls is { } answer && frame.StartsWith("[2,\""u8))
        {
            // [2,"<id>",... -> [3,"<id>",<answer>]
            ReadOnlySpan<byte> rest = frame[4..];
            ReadOnlySpan<byte> id = rest[..rest.IndexOf((byte)'"')];
            int n = 0;
            "[3,\""u8.CopyTo(_reply);
            n += 4;
            id.CopyTo(_reply.AsSpan(n));
            n += id.Length;
            "\","u8.CopyTo(_reply.AsSpan(n));
            n += 2;
            answer.CopyTo(_reply.AsSpan(n));
            n += answer.Length;
            _reply[n++] = (byte)']';
            Deliver(_reply.AsMemory(0, n));
        }
        else if (LastSent.Length == 0 || Sent < 16)
        {
            LastSent = frame.ToArray();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask CloseAsync(int closeCode, string? reason, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_waiting)
            {
                _waiting = false;
                _core.SetResult(TransportReceiveResult.Closed(closeCode, reason));
            }
        }

        return ValueTask.CompletedTask;
    }

    public void Abort() => CloseAsync(1006, null);

    public ValueTask DisposeAsync() => CloseAsync(1006, null);

    TransportReceiveResult IValueTaskSource<TransportReceiveResult>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<TransportReceiveResult>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<TransportReceiveResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}

using System.Collections.Concurrent;

namespace Ocpp.Rpc.Client.Tests.Support;

/// <summary>Records every delay the client asks for and lets it elapse at once, so long back-offs run instantly.</summary>
internal sealed class RecordingTimeProvider : TimeProvider
{
    public ConcurrentQueue<TimeSpan> Delays { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Delays.Enqueue(dueTime);
        return System.CreateTimer(callback, state, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}

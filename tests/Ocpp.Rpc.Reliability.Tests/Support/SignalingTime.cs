using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Ocpp.Rpc.Reliability.Tests.Support;

/// <summary>A <see cref="FakeTimeProvider"/> that reports every timer created on it (its due time), so a test can wait until the client is waiting and then move the clock exactly that far.</summary>
internal sealed class SignalingTime : TimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public FakeTimeProvider Fake { get; } = new(DateTimeOffset.Parse("2025-06-01T00:00:00Z", global::System.Globalization.CultureInfo.InvariantCulture));

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = Fake.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer created (waits for it, at most 30 s of real time).</summary>
    public async Task<TimeSpan> NextTimerAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _timers.Reader.ReadAsync(timeout.Token);
    }

    public bool HasPendingTimer => _timers.Reader.TryPeek(out _);

    public void Advance(TimeSpan by) => Fake.Advance(by);
}

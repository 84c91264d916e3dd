namespace Ocpp.Rpc.Client;

/// <summary>
/// How an <see cref="OcppClient"/> reconnects after losing its link, with the OCPP 2.0.1/2.1 back-off: before attempt
/// <c>n</c> (1-based) it waits <see cref="WaitMinimum"/> × 2^min(n − 1, <see cref="RepeatTimes"/>) plus a new random
/// value in [0, <see cref="RandomRange"/>]. The base doubles after each failed attempt until it has doubled
/// <see cref="RepeatTimes"/> times, then stays constant. Immutable: derive variants with <c>with</c>.
/// </summary>
public sealed record OcppReconnectOptions
{
    /// <summary>The defaults: enabled, 5 s minimum, 5 s random range, 5 doublings (at most 160 s + 5 s), forever.</summary>
    public static OcppReconnectOptions Default { get; } = new();

    /// <summary>Reconnecting disabled: a lost link moves the client to <see cref="OcppClientState.Closed"/>.</summary>
    public static OcppReconnectOptions Disabled { get; } = new() { Enabled = false };

    /// <summary>Whether the client reconnects after the link is lost. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The back-off before the first attempt, doubled after each failure (OCPP <c>RetryBackOffWaitMinimum</c>). Default 5 s.</summary>
    public TimeSpan WaitMinimum { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest random value added to every back-off (OCPP <c>RetryBackOffRandomRange</c>). Default 5 s.</summary>
    public TimeSpan RandomRange { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times the back-off doubles before it stays constant (OCPP <c>RetryBackOffRepeatTimes</c>). Default 5.</summary>
    public int RepeatTimes { get; init; } = 5;

    /// <summary>How many attempts are made after one loss before giving up (then <see cref="OcppClientState.Closed"/>); <see langword="null"/> tries forever. Default null.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>
    /// The back-off before an attempt. Pure: the random part is <paramref name="randomSample"/> × <see cref="RandomRange"/>.
    /// </summary>
    /// <param name="attempt">The attempt number, from 1.</param>
    /// <param name="randomSample">A value in [0, 1], e.g. <see cref="Random.NextDouble"/>.</param>
    /// <returns>How long to wait before the attempt.</returns>
    public TimeSpan GetDelay(int attempt, double randomSample)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(randomSample, 0d);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(randomSample, 1d);
        int doublings = Math.Min(attempt - 1, Math.Max(RepeatTimes, 0));

        // Clamp the exponent so a large RepeatTimes cannot overflow; a day is far beyond any sensible back-off.
        double baseTicks = Math.Min(WaitMinimum.Ticks * Math.Pow(2, Math.Min(doublings, 40)), TimeSpan.FromDays(1).Ticks);
        double randomTicks = RandomRange.Ticks * randomSample;
        return TimeSpan.FromTicks((long)(baseTicks + randomTicks));
    }
}

namespace Ocpp.Rpc.Transport;

/// <summary>
/// One connection's receive-rate limit (<see cref="WebSocketTransportOptions.MaxReceiveBytesPerSecond"/>): a token
/// bucket in bytes, refilled lazily from the clock, so it needs no timer and allocates nothing per message. A message
/// may take the bucket into debt; the next receive then waits until the rate has paid it back. Created only for
/// connections that have a limit, so an unlimited connection carries none of this state.
/// </summary>
/// <remarks>
/// Not System.Threading.RateLimiting's token bucket: that one refuses a request larger than the bucket instead of
/// letting one message go into debt, and replenishes from a timer (or needs a caller to drive it).
/// </remarks>
internal sealed class ReceiveRateLimit(long bytesPerSecond, long burst, TimeProvider time)
{
    private readonly double _bytesPerTick = (double)bytesPerSecond / time.TimestampFrequency;
    private double _tokens = burst;
    private long _refilledAt = time.GetTimestamp();

    /// <summary>Whether the last message took the bucket into debt (the next receive must wait).</summary>
    public bool InDebt => _tokens < 0;

    /// <summary>Takes a received message's bytes from the bucket.</summary>
    public void Spend(long bytes)
    {
        Refill();
        _tokens -= bytes;
    }

    /// <summary>Waits until the debt is paid back. Not reading is the back-pressure: the peer's sends stall in TCP.</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        Refill();
        while (_tokens < 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(-_tokens / bytesPerSecond), time, cancellationToken).ConfigureAwait(false);
            Refill();
        }
    }

    private void Refill()
    {
        long now = time.GetTimestamp();
        _tokens = Math.Min(burst, _tokens + ((now - _refilledAt) * _bytesPerTick));
        _refilledAt = now;
    }
}

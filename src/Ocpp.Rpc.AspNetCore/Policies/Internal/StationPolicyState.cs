using System.Threading.RateLimiting;

namespace Ocpp.Rpc.AspNetCore.Policies;

// What the session policies keep per connection: the boot status as last answered or stored, and the connection's
// call-rate bucket. Created when the server accepts the station, before it reads anything.
internal sealed class StationPolicyState(TokenBucketRateLimiter? limiter)
{
    private const int NoStatus = -1;
    private int _status = NoStatus;
    private SemaphoreSlim? _queue;
    private int _waiting;

    public TokenBucketRateLimiter? Limiter { get; } = limiter;

    public OcppBootStatus? BootStatus
    {
        get => Volatile.Read(ref _status) is var s && s == NoStatus ? null : (OcppBootStatus)s;
        set => Volatile.Write(ref _status, value is { } v ? (int)v : NoStatus);
    }

    // Calls waiting for a token queue here in arrival order, so a later call never overtakes one that waits.
    public SemaphoreSlim Queue => _queue ?? LazyInitializer.EnsureInitialized(ref _queue, static () => new SemaphoreSlim(1, 1));

    public bool AnyWaiting => Volatile.Read(ref _waiting) > 0;

    public void EnterWait() => Interlocked.Increment(ref _waiting);

    public void LeaveWait() => Interlocked.Decrement(ref _waiting);
}

using System.Threading.RateLimiting;

namespace Ocpp.Rpc.AspNetCore.Policies;

// What the session policies keep per connection: the boot status as last answered or stored, and the connection's
// call-rate bucket. Created when the server accepts the station, before it reads anything (the bucket at its first call).
internal sealed class StationPolicyState(TokenBucketRateLimiterOptions? bucket)
{
    private const int NoStatus = -1;
    private int _status = NoStatus;
    private SemaphoreSlim? _queue;
    private TokenBucketRateLimiter? _limiter;
    private int _waiting;

    // The bucket is made at the station's first call, not at connect: with manual replenishment the BCL limiter
    // counts the time since it was made as refill time although its bucket was full, so a bucket made at connect
    // would give a station that waits before its first calls one token more than its burst.
    public TokenBucketRateLimiter? Limiter => bucket is null ? null : _limiter ?? CreateLimiter(bucket);

    public OcppBootStatus? BootStatus
    {
        get => Volatile.Read(ref _status) is var s && s == NoStatus ? null : (OcppBootStatus)s;
        set => Volatile.Write(ref _status, value is { } v ? (int)v : NoStatus);
    }

    // Calls waiting for a token queue here in arrival order, so a later call never overtakes one that waits.
    public SemaphoreSlim Queue => _queue ?? LazyInitializer.EnsureInitialized(ref _queue, static () => new SemaphoreSlim(1, 1));

    private TokenBucketRateLimiter CreateLimiter(TokenBucketRateLimiterOptions options)
    {
        var created = new TokenBucketRateLimiter(options);
        TokenBucketRateLimiter? raced = Interlocked.CompareExchange(ref _limiter, created, null);
        if (raced is null)
        {
            return created;
        }

        created.Dispose();
        return raced;
    }

    public bool AnyWaiting => Volatile.Read(ref _waiting) > 0;

    public void EnterWait() => Interlocked.Increment(ref _waiting);

    public void LeaveWait() => Interlocked.Decrement(ref _waiting);
}

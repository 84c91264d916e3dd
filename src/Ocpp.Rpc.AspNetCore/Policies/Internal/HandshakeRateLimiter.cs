using System.Net;
using System.Threading.RateLimiting;

namespace Ocpp.Rpc.AspNetCore.Policies;

// Handshakes per remote address: one token bucket per address in a partitioned limiter, which refills the buckets
// and drops those of addresses that went quiet from one shared timer.
internal sealed class HandshakeRateLimiter(OcppHandshakeRateLimitOptions options) : IAsyncDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address =>
        RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Burst,
            TokensPerPeriod = options.PermitsPerPeriod,
            ReplenishmentPeriod = options.Period,
            QueueLimit = 0,
            AutoReplenishment = false,
        }));

    // Whether the address may handshake now; when not, how long until it may (whole seconds, at least 1, for Retry-After).
    public bool TryAcquire(IPAddress? address, out int retryAfterSeconds)
    {
        using RateLimitLease lease = _limiter.AttemptAcquire(address ?? IPAddress.None);
        if (lease.IsAcquired)
        {
            retryAfterSeconds = 0;
            return true;
        }

        TimeSpan wait = lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retryAfter) ? retryAfter : options.Period / options.PermitsPerPeriod;
        retryAfterSeconds = (int)Math.Clamp(Math.Ceiling(wait.TotalSeconds), 1, int.MaxValue);
        return false;
    }

    public ValueTask DisposeAsync() => _limiter.DisposeAsync();
}

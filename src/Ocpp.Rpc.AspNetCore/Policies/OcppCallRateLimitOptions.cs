namespace Ocpp.Rpc.AspNetCore;

/// <summary>
/// A per-station limit on inbound CALLs and SENDs (a token bucket of System.Threading.RateLimiting per connection),
/// set on <see cref="OcppServerOptions.CallRateLimit"/>: <see cref="PermitsPerPeriod"/> calls per
/// <see cref="Period"/> on average, up to <see cref="Burst"/> at once after a quiet spell. Each connection has its own
/// bucket, filled from the clock when a call arrives (no timer per station); a reconnect starts with a full bucket.
/// </summary>
public sealed record OcppCallRateLimitOptions
{
    /// <summary>The defaults: 10 calls a second, bursts of 20, back-pressure.</summary>
    public static OcppCallRateLimitOptions Default { get; } = new();

    /// <summary>How many calls the bucket gains per <see cref="Period"/>. Default 10.</summary>
    public int PermitsPerPeriod { get; init; } = 10;

    /// <summary>The period of <see cref="PermitsPerPeriod"/>. Default 1 s.</summary>
    public TimeSpan Period { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The most calls the bucket holds (the burst a quiet station may send at once). Default 20.</summary>
    public int Burst { get; init; } = 20;

    /// <summary>What a call beyond the rate gets. Default <see cref="OcppRateLimitExceededAction.Wait"/>.</summary>
    public OcppRateLimitExceededAction WhenExceeded { get; init; } = OcppRateLimitExceededAction.Wait;

    /// <summary>
    /// With <see cref="OcppRateLimitExceededAction.Reject"/>: the CALLERROR code, spelt as the connection's version
    /// spells it. Default <see cref="OcppErrorCode.GenericError"/> (no version defines a rate-limit code, and GenericError
    /// is the one every version has for "any other error"); the description says when to retry and the details carry
    /// <c>retryAfterSeconds</c>.
    /// </summary>
    public OcppErrorCode ErrorCode { get; init; } = OcppErrorCode.GenericError;
}

/// <summary>What happens to an inbound call beyond <see cref="OcppCallRateLimitOptions"/>.</summary>
public enum OcppRateLimitExceededAction
{
    /// <summary>
    /// Back-pressure: the call waits until the bucket has a token, then runs, and until then the connection reads
    /// nothing more from that station (<see cref="OcppConnection.PauseReading"/>): its further messages stay in the
    /// socket and TCP slows it down, while every other station goes on.
    /// </summary>
    Wait,

    /// <summary>The call is answered at once with a CALLERROR (<see cref="OcppCallRateLimitOptions.ErrorCode"/>); a SEND is dropped.</summary>
    Reject,
}

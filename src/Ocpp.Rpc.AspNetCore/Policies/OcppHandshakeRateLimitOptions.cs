namespace Ocpp.Rpc.AspNetCore;

/// <summary>
/// A limit on WebSocket handshakes per remote IP address (reconnect storms, password guessing), set on
/// <see cref="OcppServerOptions.HandshakeRateLimit"/>: a token bucket per address of
/// <see cref="PermitsPerPeriod"/> handshakes per <see cref="Period"/>, up to <see cref="Burst"/> at once. A handshake
/// beyond it is answered HTTP 429 with <c>Retry-After</c> (whole seconds) before authentication runs. Buckets of
/// addresses that went quiet are dropped, so many addresses cost no lasting memory.
/// </summary>
/// <remarks>
/// Behind a reverse proxy every station shares the proxy's address unless the host applies forwarded headers
/// (<c>UseForwardedHeaders</c>) before <c>MapOcpp</c>; the limit uses <c>HttpContext.Connection.RemoteIpAddress</c>.
/// </remarks>
public sealed record OcppHandshakeRateLimitOptions
{
    /// <summary>The defaults: 10 handshakes a minute per address, bursts of 10.</summary>
    public static OcppHandshakeRateLimitOptions Default { get; } = new();

    /// <summary>How many handshakes an address gains per <see cref="Period"/>. Default 10.</summary>
    public int PermitsPerPeriod { get; init; } = 10;

    /// <summary>The period of <see cref="PermitsPerPeriod"/>. Default 1 minute.</summary>
    public TimeSpan Period { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The most handshakes an address may make at once. Default 10.</summary>
    public int Burst { get; init; } = 10;
}

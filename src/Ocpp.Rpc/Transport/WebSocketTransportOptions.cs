namespace Ocpp.Rpc.Transport;

/// <summary>How a <see cref="WebSocketTransport"/> treats its socket and bounds what the peer can make it read.</summary>
public sealed record WebSocketTransportOptions
{
    /// <summary>Owns the socket, no guard, no receive-rate limit.</summary>
    public static WebSocketTransportOptions Default { get; } = new();

    /// <summary>Whether disposing the transport disposes the socket. Default true.</summary>
    public bool OwnsSocket { get; init; } = true;

    /// <summary>Bounds the time and memory of partly received messages (shared by a server's connections); none when null.</summary>
    public IncompleteMessageGuard? IncompleteMessages { get; init; }

    /// <summary>
    /// The most message bytes (after decompression) the transport reads per second on average; 0 for no limit
    /// (the default). Beyond it the transport stops reading until the peer is back within the rate, so TCP slows the
    /// peer down: this bounds the CPU a peer can buy with small compressed messages that inflate to large ones.
    /// </summary>
    public long MaxReceiveBytesPerSecond { get; init; }

    /// <summary>
    /// How many bytes above the rate the peer may send at once (the token bucket's size); 0 means
    /// <see cref="MaxReceiveBytesPerSecond"/> (one second's worth). Should be at least the largest message allowed.
    /// </summary>
    public long ReceiveBurstBytes { get; init; }

    /// <summary>The clock for the receive-rate limit. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

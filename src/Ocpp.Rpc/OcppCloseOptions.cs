using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc;

/// <summary>How <see cref="OcppConnection.CloseAsync(OcppCloseOptions?, CancellationToken)"/> closes.</summary>
public sealed record OcppCloseOptions
{
    /// <summary>A normal close that waits for in-flight calls.</summary>
    public static OcppCloseOptions Default { get; } = new();

    /// <summary>The WebSocket close code. Default 1000.</summary>
    public int Code { get; init; } = OcppCloseCodes.Normal;

    /// <summary>The close reason (at most 123 UTF-8 bytes).</summary>
    public string? Reason { get; init; }

    /// <summary>
    /// Wait until in-flight outbound calls are answered and inbound handlers have replied before closing; new
    /// calls are refused meanwhile (outbound: <see cref="OcppConnectionClosedException"/>; inbound: GenericError).
    /// Default true. When false, in-flight calls fail and handlers are cancelled at once.
    /// </summary>
    public bool AwaitPending { get; init; } = true;

    /// <summary>Drop the link at once without a close handshake (overrides <see cref="AwaitPending"/>).</summary>
    public bool Force { get; init; }
}

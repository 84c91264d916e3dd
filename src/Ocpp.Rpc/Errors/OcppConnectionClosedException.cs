namespace Ocpp.Rpc;

/// <summary>
/// Thrown by a call that cannot complete because the connection is closed or closed while the call was in flight.
/// </summary>
public sealed class OcppConnectionClosedException : OcppException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="closeCode">The WebSocket close code, when known.</param>
    /// <param name="closeReason">The close reason, when known.</param>
    /// <param name="innerException">The transport failure behind it, if any.</param>
    /// <param name="wasSent">Whether the call may have reached the peer (false: it never left, so it is safe to retry).</param>
    public OcppConnectionClosedException(string message, int? closeCode = null, string? closeReason = null, Exception? innerException = null, bool wasSent = true)
        : base(message, innerException)
    {
        CloseCode = closeCode;
        CloseReason = closeReason;
        WasSent = wasSent;
    }

    /// <summary>
    /// Whether the call may have reached the peer. <see langword="false"/> when it was refused before anything was
    /// written (closed connection, or closed while waiting for a call slot): such a call is safe to send again.
    /// </summary>
    public bool WasSent { get; }

    /// <summary>The WebSocket close code, when known.</summary>
    public int? CloseCode { get; }

    /// <summary>The close reason, when known.</summary>
    public string? CloseReason { get; }

    /// <summary>Always true: a station reconnects (see <see cref="WasSent"/> for whether the call may have reached it).</summary>
    public override bool IsTransient => true;
}

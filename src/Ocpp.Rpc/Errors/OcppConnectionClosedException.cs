namespace Ocpp.Rpc;

/// <summary>
/// Thrown by a call that cannot complete because the connection is closed or closed while the call was in flight.
/// </summary>
public sealed class OcppConnectionClosedException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="closeCode">The WebSocket close code, when known.</param>
    /// <param name="closeReason">The close reason, when known.</param>
    /// <param name="innerException">The transport failure behind it, if any.</param>
    public OcppConnectionClosedException(string message, int? closeCode = null, string? closeReason = null, Exception? innerException = null)
        : base(message, innerException)
    {
        CloseCode = closeCode;
        CloseReason = closeReason;
    }

    /// <summary>The WebSocket close code, when known.</summary>
    public int? CloseCode { get; }

    /// <summary>The close reason, when known.</summary>
    public string? CloseReason { get; }
}

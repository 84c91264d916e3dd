namespace Ocpp.Rpc.Transport;

/// <summary>
/// Thrown by <see cref="IOcppTransport.ReceiveAsync"/> when the transport closed the link itself, for a reason of its
/// own (a message that did not complete in time, too much held by incomplete messages): the engine reports the
/// connection closed with <see cref="CloseCode"/> and this message, not as a dropped link.
/// </summary>
public sealed class TransportClosedException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="closeCode">The WebSocket close code the transport sent (or would have).</param>
    /// <param name="reason">Why it closed.</param>
    public TransportClosedException(int closeCode, string reason)
        : base(reason)
    {
        CloseCode = closeCode;
    }

    /// <summary>The WebSocket close code the transport sent (or would have).</summary>
    public int CloseCode { get; }
}

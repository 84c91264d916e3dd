namespace Ocpp.Rpc;

/// <summary>Whether a message was received from or sent to the peer.</summary>
public enum OcppDirection
{
    /// <summary>Received from the peer.</summary>
    Inbound,

    /// <summary>Sent to the peer.</summary>
    Outbound,
}

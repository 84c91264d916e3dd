namespace Ocpp.Rpc.Client;

/// <summary>The life cycle of an <see cref="OcppClient"/>.</summary>
public enum OcppClientState
{
    /// <summary>Not connected: before <see cref="OcppClient.ConnectAsync"/>, after a close, or after reconnecting was abandoned.</summary>
    Closed,

    /// <summary>The first connection attempt is in progress; calls wait in the reconnect queue.</summary>
    Connecting,

    /// <summary>Connected: calls go straight to <see cref="OcppClient.Connection"/>.</summary>
    Open,

    /// <summary>The link was lost and the client is waiting for or making a reconnection attempt; calls wait in the queue.</summary>
    Reconnecting,

    /// <summary><see cref="OcppClient.CloseAsync"/> is closing the link; new calls are refused.</summary>
    Closing,
}

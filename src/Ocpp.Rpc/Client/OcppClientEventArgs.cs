namespace Ocpp.Rpc.Client;

/// <summary>The client moved from one state to another.</summary>
/// <param name="Previous">The state before.</param>
/// <param name="Current">The state now.</param>
public sealed record OcppClientStateChangedEventArgs(OcppClientState Previous, OcppClientState Current);

/// <summary>
/// A connection was established. Raised before the connection starts reading and before queued calls are sent, so
/// subscribers can attach to the new connection's own events (<c>CallSent</c>, <c>CallReceived</c>, ...) without
/// missing a message.
/// </summary>
/// <param name="Connection">The new connection.</param>
/// <param name="Protocol">The negotiated subprotocol.</param>
/// <param name="IsReconnect">Whether this connection replaces a lost one.</param>
public sealed record OcppClientConnectedEventArgs(OcppConnection Connection, string Protocol, bool IsReconnect);

/// <summary>A connection ended.</summary>
/// <param name="Code">The WebSocket close code (1006 when the link dropped or the keep-alive timed out).</param>
/// <param name="Reason">The close reason, if any.</param>
/// <param name="ClosedByPeer">Whether the server closed it or the link dropped (false when <see cref="OcppClient.CloseAsync"/> closed it).</param>
/// <param name="WillReconnect">Whether the client is about to reconnect.</param>
public sealed record OcppClientDisconnectedEventArgs(int Code, string? Reason, bool ClosedByPeer, bool WillReconnect);

/// <summary>The client is about to wait <paramref name="Delay"/> and then make reconnection attempt <paramref name="Attempt"/>.</summary>
/// <param name="Attempt">The attempt number since the link was lost, from 1.</param>
/// <param name="Delay">The back-off before the attempt.</param>
/// <param name="LastError">Why the previous attempt failed; <see langword="null"/> before the first.</param>
public sealed record OcppClientReconnectingEventArgs(int Attempt, TimeSpan Delay, Exception? LastError);

namespace Ocpp.Rpc.AspNetCore;

/// <summary>A station connected; raised before the connection starts reading, so handlers registered now see every CALL.</summary>
/// <param name="Connection">The new connection (not started yet).</param>
/// <param name="Handshake">The accepted handshake.</param>
public sealed record OcppStationConnectedEventArgs(OcppConnection Connection, OcppHandshake Handshake);

/// <summary>A station's connection closed and it was removed from the server's table.</summary>
/// <param name="Connection">The closed connection.</param>
/// <param name="Closed">How it closed.</param>
public sealed record OcppStationDisconnectedEventArgs(OcppConnection Connection, OcppClosedEventArgs Closed);

/// <summary>A handshake was refused.</summary>
/// <param name="Identity">The identity, when it could be decoded.</param>
/// <param name="StatusCode">The HTTP status sent (or 101 when the WebSocket was accepted and closed at once).</param>
/// <param name="Reason">Why.</param>
public sealed record OcppHandshakeRejectedEventArgs(string? Identity, int StatusCode, string Reason);

namespace Ocpp.Rpc;

/// <summary>A connected station as a cluster lists it.</summary>
/// <param name="Identity">The station identity.</param>
/// <param name="Protocol">The negotiated subprotocol, e.g. <c>ocpp2.0.1</c>.</param>
/// <param name="NodeId">The node that holds its socket.</param>
/// <param name="ConnectedSince">When its current connection was accepted.</param>
public sealed record OcppStationInfo(string Identity, string? Protocol, string NodeId, DateTimeOffset ConnectedSince);

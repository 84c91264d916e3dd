namespace Ocpp.Rpc;

/// <summary>
/// A station the CSMS can call, wherever its socket is: from <c>server.GetStation(identity)</c> or
/// <see cref="Clustering.IOcppCluster.GetStation"/>. Every call is routed when it is made (to the connection on this
/// node, or through the cluster to the node that holds the station now), so a handle stays valid across reconnects
/// and moves; a call to a station connected nowhere throws <see cref="Clustering.OcppStationNotConnectedException"/>.
/// </summary>
public interface IOcppStation : IOcppPeer
{
    /// <summary>The station identity.</summary>
    string Identity { get; }

    /// <summary>This node's id while the station is connected to this node; <see langword="null"/> otherwise (see <see cref="GetInfoAsync"/>).</summary>
    string? NodeId { get; }

    /// <summary>Where and how the station is connected now (one backplane lookup when it is on another node).</summary>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>Its identity, protocol, node and connection time, or <see langword="null"/> when it is connected nowhere.</returns>
    ValueTask<OcppStationInfo?> GetInfoAsync(CancellationToken cancellationToken = default);
}

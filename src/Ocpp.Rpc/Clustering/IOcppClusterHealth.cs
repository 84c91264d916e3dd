namespace Ocpp.Rpc.Clustering;

/// <summary>
/// Implemented by an <see cref="IOcppCluster"/> that depends on a shared backplane (the Redis adapter), so a health
/// check can report the link. A cluster without one (<see cref="LocalOcppCluster"/>) does not implement it.
/// </summary>
public interface IOcppClusterHealth
{
    /// <summary>The backplane's name for reports, e.g. <c>Redis</c>.</summary>
    string BackplaneName { get; }

    /// <summary>Whether the backplane can be reached now.</summary>
    bool IsBackplaneConnected { get; }
}

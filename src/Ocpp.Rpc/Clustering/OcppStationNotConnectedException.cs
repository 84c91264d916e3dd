namespace Ocpp.Rpc.Clustering;

/// <summary>Thrown when a call is routed to a station that is connected to no node.</summary>
public sealed class OcppStationNotConnectedException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="identity">The station identity.</param>
    public OcppStationNotConnectedException(string identity)
        : base($"Station '{identity}' is not connected.")
    {
        Identity = identity;
    }

    /// <summary>The station identity.</summary>
    public string Identity { get; }
}

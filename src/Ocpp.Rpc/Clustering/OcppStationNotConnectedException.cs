namespace Ocpp.Rpc.Clustering;

/// <summary>Thrown when a call is routed to a station that is connected to no node.</summary>
public sealed class OcppStationNotConnectedException : OcppException
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

    /// <summary>Always true: stations reconnect by themselves.</summary>
    public override bool IsTransient => true;
}

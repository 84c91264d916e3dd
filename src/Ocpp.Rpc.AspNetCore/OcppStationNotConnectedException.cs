namespace Ocpp.Rpc.AspNetCore;

/// <summary>Thrown by <see cref="OcppServer.CallAsync(string, string, OcppPayload, OcppCallOptions?, CancellationToken)"/> when no station with the identity is connected to this server.</summary>
public sealed class OcppStationNotConnectedException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="identity">The identity that is not connected.</param>
    public OcppStationNotConnectedException(string identity)
        : base($"Station '{identity}' is not connected to this server.")
    {
        Identity = identity;
    }

    /// <summary>The identity that is not connected.</summary>
    public string Identity { get; }
}

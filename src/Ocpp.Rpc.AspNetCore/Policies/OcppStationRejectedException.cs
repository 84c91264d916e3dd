namespace Ocpp.Rpc.AspNetCore;

/// <summary>
/// A call to a station whose BootNotification the CSMS answered Rejected was refused before it was sent (boot gating,
/// OCPP 2.0.1 B03: the CSMS sends a Rejected station no messages until it has been accepted).
/// </summary>
public sealed class OcppStationRejectedException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public OcppStationRejectedException()
        : base("The station's BootNotification was answered Rejected: no calls are sent to it until it is accepted.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public OcppStationRejectedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public OcppStationRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a station and the action that was refused.</summary>
    /// <param name="identity">The station identity.</param>
    /// <param name="action">The action that was not sent.</param>
    public OcppStationRejectedException(string identity, string action)
        : base($"{action} was not sent to '{identity}': its BootNotification was answered Rejected, and the CSMS sends a Rejected station no calls until it is accepted.")
    {
        Identity = identity;
        Action = action;
    }

    /// <summary>The station identity, when known.</summary>
    public string? Identity { get; }

    /// <summary>The action that was not sent, when known.</summary>
    public string? Action { get; }
}

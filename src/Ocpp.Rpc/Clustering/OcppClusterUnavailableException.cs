namespace Ocpp.Rpc.Clustering;

/// <summary>
/// Thrown when a cluster operation needs the shared backplane (e.g. Redis) and it cannot be reached in time (down, restarting, or the
/// network is cut). Stations connected to this node can still be called; the cluster rejoins by itself when Redis
/// is back.
/// </summary>
public sealed class OcppClusterUnavailableException : OcppException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What could not be done.</param>
    /// <param name="innerException">The Redis failure behind it.</param>
    public OcppClusterUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Always true: the cluster rejoins the backplane by itself.</summary>
    public override bool IsTransient => true;
}

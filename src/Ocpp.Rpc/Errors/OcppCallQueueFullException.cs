namespace Ocpp.Rpc;

/// <summary>
/// Thrown when an outbound call cannot be queued because <c>MaxQueuedCalls</c> calls are
/// already waiting for their turn (back-pressure: the caller should slow down).
/// </summary>
public sealed class OcppCallQueueFullException : OcppException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="limit">The queue limit that was reached.</param>
    public OcppCallQueueFullException(int limit)
        : base($"The outbound call queue is full ({limit} calls waiting).")
    {
        Limit = limit;
    }

    /// <summary>The queue limit that was reached.</summary>
    public int Limit { get; }

    /// <summary>Always true: the queue drains as the peer answers.</summary>
    public override bool IsTransient => true;
}

namespace Ocpp.Rpc;

/// <summary>
/// The base of every exception the library throws for an OCPP reason: a CALLERROR (<see cref="OcppRpcException"/>),
/// a closed connection, a timeout, a full call queue, a refused or failed connect, a station connected nowhere, an
/// unreachable cluster. Catch it to handle them all; <see cref="IsTransient"/> says whether the same operation may
/// succeed if retried later, so one retry policy covers every call path (as <c>NpgsqlException.IsTransient</c> does).
/// </summary>
public abstract class OcppException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected OcppException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// Whether retrying the same operation later may succeed (the link dropped, a timeout, the cluster was
    /// unreachable, a queue was full), as opposed to an answer that will not change (a CALLERROR such as
    /// FormatViolation, a refused handshake).
    /// </summary>
    public abstract bool IsTransient { get; }
}

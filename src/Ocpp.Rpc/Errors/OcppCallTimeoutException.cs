namespace Ocpp.Rpc;

/// <summary>Thrown when a CALL gets no CALLRESULT or CALLERROR within its timeout.</summary>
public sealed class OcppCallTimeoutException : OcppException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="action">The action of the call.</param>
    /// <param name="messageId">The message id of the call.</param>
    /// <param name="timeout">The timeout that elapsed.</param>
    public OcppCallTimeoutException(string action, string messageId, TimeSpan timeout)
        : base($"The {action} call (id {messageId}) got no response within {timeout.TotalMilliseconds:0} ms.")
    {
        Action = action;
        MessageId = messageId;
        Timeout = timeout;
    }

    /// <summary>The action of the call.</summary>
    public string Action { get; }

    /// <summary>The message id of the call.</summary>
    public string MessageId { get; }

    /// <summary>The timeout that elapsed.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Always true; but the peer may have acted on the call, so retry only what is safe to repeat.</summary>
    public override bool IsTransient => true;
}

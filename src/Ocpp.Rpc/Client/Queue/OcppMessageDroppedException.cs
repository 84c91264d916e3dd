namespace Ocpp.Rpc.Client;

/// <summary>
/// A transaction call made with <see cref="OcppClient.CallAsync(string, OcppPayload, OcppCallOptions?, CancellationToken)"/>
/// through the message queue was dropped after <see cref="OcppMessageQueueOptions.MessageAttempts"/> attempts. The inner
/// exception is what the last attempt got (a CALLERROR or a timeout); it is also in <see cref="Result"/>.
/// </summary>
public sealed class OcppMessageDroppedException : OcppException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="result">The dropped message's result.</param>
    /// <param name="lastError">What the last attempt got, when known.</param>
    public OcppMessageDroppedException(OcppMessageResult result, Exception? lastError)
        : base($"{result?.Action} (message {result?.MessageId}) was dropped after {result?.Attempts} attempts: {result?.ErrorCode} {result?.ErrorDescription}", lastError)
    {
        ArgumentNullException.ThrowIfNull(result);
        Result = result;
    }

    /// <summary>The dropped message's result.</summary>
    public OcppMessageResult Result { get; }

    /// <summary>False: the message was retried as configured and will not be sent again.</summary>
    public override bool IsTransient => false;
}

/// <summary>A queued transaction message was dropped after its attempts (raised once per message, after the store recorded it).</summary>
/// <param name="Result">The dropped message's result: action, message id, attempts and the last error.</param>
/// <param name="LastError">What the last attempt got, when this process saw it.</param>
public sealed record OcppMessageDroppedEventArgs(OcppMessageResult Result, Exception? LastError);

namespace Ocpp.Rpc;

/// <summary>Per-call settings for <see cref="OcppConnection.CallAsync(string, OcppPayload, OcppCallOptions?, CancellationToken)"/>.</summary>
public sealed record OcppCallOptions
{
    /// <summary>Overrides <see cref="OcppConnectionOptions.CallTimeout"/> for this call.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Skip strict-mode validation of this call's request and response (for stations known to deviate).</summary>
    public bool SkipValidation { get; init; }

    /// <summary>Use this message id instead of a generated one (a retry may reuse its id). At most 36 characters.</summary>
    public string? MessageId { get; init; }

    /// <summary>
    /// The subprotocol the request was written for (typed calls set it from the request type). A connection that
    /// speaks another one refuses the call with <see cref="ArgumentException"/> before sending anything; a cluster
    /// carries it to the node that holds the station.
    /// </summary>
    public string? Protocol { get; init; }

    /// <summary>Set by <c>CallDataTransferAsync</c>: strict mode checks the response's data against this key's schema.</summary>
    internal Internal.DataTransferKey? DataTransferResponse { get; init; }
}

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
}

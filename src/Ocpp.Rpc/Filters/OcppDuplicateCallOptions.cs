namespace Ocpp.Rpc;

/// <summary>
/// How <see cref="OcppDuplicateCallFilter"/> recognises a retried CALL: per station, the last
/// <see cref="MaxEntriesPerStation"/> answered message ids with their CALLRESULT, each for <see cref="TimeToLive"/>.
/// Immutable: derive variants with <c>with</c>.
/// </summary>
public sealed record OcppDuplicateCallOptions
{
    /// <summary>The defaults: 64 answers per station for 10 minutes, transaction-related actions only.</summary>
    public static OcppDuplicateCallOptions Default { get; } = new();

    /// <summary>The transaction-related actions of every version: <c>StartTransaction</c>, <c>StopTransaction</c>, <c>MeterValues</c>, <c>TransactionEvent</c>.</summary>
    public static IReadOnlySet<string> TransactionActions { get; } =
        new HashSet<string>(["StartTransaction", "StopTransaction", "MeterValues", "TransactionEvent"], StringComparer.Ordinal);

    /// <summary>How many answered message ids are remembered per station (the oldest is forgotten first). Default 64.</summary>
    public int MaxEntriesPerStation { get; init; } = 64;

    /// <summary>How long an answer is remembered. Default 10 minutes.</summary>
    public TimeSpan TimeToLive { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Which actions are remembered; <see langword="null"/> remembers every action. Default <see cref="TransactionActions"/>.</summary>
    public IReadOnlySet<string>? Actions { get; init; } = TransactionActions;

    /// <summary>
    /// Where answers are shared with other servers (the Redis cluster implements <see cref="IOcppCallReplyStore"/>);
    /// <see langword="null"/> (default) keeps them in this filter only. The server sets its cluster here by itself when
    /// the cluster is a store and this is null.
    /// </summary>
    public IOcppCallReplyStore? Store { get; init; }

    /// <summary>
    /// With <see cref="Store"/>: how long a node's claim on a call it runs holds, so that a retry on another node waits
    /// for its answer instead of running the call a second time; after it (the node died mid-call) the retry runs.
    /// Default 30 s.
    /// </summary>
    public TimeSpan ClaimTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock for <see cref="TimeToLive"/>. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

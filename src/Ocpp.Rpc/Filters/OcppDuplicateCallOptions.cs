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

    /// <summary>The clock for <see cref="TimeToLive"/>. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

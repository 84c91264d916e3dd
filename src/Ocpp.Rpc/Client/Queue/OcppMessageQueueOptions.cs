namespace Ocpp.Rpc.Client;

/// <summary>
/// The client's outbound queue for transaction-related messages (OCPP 1.6 §4.10 / 2.0.1 E13 "transaction-related
/// messages"): enqueued durably, sent in order one at a time while connected, kept while offline, resent with the
/// same message id after a lost link, retried after a CALLERROR or a timeout as the spec's settings say, then dropped
/// and reported. Set <see cref="OcppClientOptions.MessageQueue"/> to turn it on. Immutable: derive variants with <c>with</c>.
/// </summary>
/// <remarks>
/// The retry rule is the same in every version, only the configuration keys differ: OCPP 1.6
/// <c>TransactionMessageAttempts</c> / <c>TransactionMessageRetryInterval</c>, OCPP 2.0.1 and 2.1
/// <c>MessageAttemptsTransactionEvent</c> / <c>MessageAttemptIntervalTransactionEvent</c>. After failed attempt
/// <c>n</c> the client waits <see cref="MessageRetryInterval"/> × <c>n</c> before the next one. A lost link is not a
/// failed attempt: the message is sent again, with its message id, on the next connection.
/// </remarks>
public sealed record OcppMessageQueueOptions
{
    /// <summary>The spec's transaction-related actions: 1.6 <c>StartTransaction</c>, <c>StopTransaction</c> and <c>MeterValues</c> (only those carrying a <c>transactionId</c>); 2.0.1/2.1 <c>TransactionEvent</c>.</summary>
    public static IReadOnlySet<string> DefaultTransactionActions { get; } =
        new HashSet<string>(["StartTransaction", "StopTransaction", "MeterValues", "TransactionEvent"], StringComparer.Ordinal);

    /// <summary>Where messages wait; <see langword="null"/> (the default) keeps them in memory (<see cref="InMemoryOcppMessageStore"/>), lost with the process.</summary>
    public IOcppMessageStore? Store { get; init; }

    /// <summary>
    /// How many times a message is sent when each attempt gets a CALLERROR or no answer, before it is dropped and
    /// reported (1.6 <c>TransactionMessageAttempts</c>, 2.x <c>MessageAttemptsTransactionEvent</c>); at least 1. Default 3.
    /// </summary>
    public int MessageAttempts { get; init; } = 3;

    /// <summary>
    /// The wait after the first failed attempt, multiplied by the attempt number for later ones (1.6
    /// <c>TransactionMessageRetryInterval</c>, 2.x <c>MessageAttemptIntervalTransactionEvent</c>). Default 60 s.
    /// </summary>
    public TimeSpan MessageRetryInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Which actions <see cref="OcppClient.CallAsync(string, OcppPayload, OcppCallOptions?, CancellationToken)"/> routes
    /// through the queue; <c>MeterValues</c> only when its payload carries a top-level <c>transactionId</c>. Others keep
    /// the plain call behaviour (a <c>StatusNotification</c> is not queued across reconnects). An empty set routes
    /// nothing: only <see cref="OcppClient.EnqueueAsync(string, OcppPayload, CancellationToken)"/> queues. Default
    /// <see cref="DefaultTransactionActions"/>.
    /// </summary>
    public IReadOnlySet<string> TransactionActions { get; init; } = DefaultTransactionActions;

    /// <summary>How many messages may wait; one more makes enqueueing throw <see cref="OcppCallQueueFullException"/>. Payloads of waiting messages stay in memory. Default 100,000.</summary>
    public int MaxQueuedMessages { get; init; } = 100_000;

    /// <summary>How long each attempt waits for the answer before it counts as failed; <see langword="null"/> uses <see cref="OcppConnectionOptions.CallTimeout"/>.</summary>
    public TimeSpan? CallTimeout { get; init; }

    /// <summary>Whether a queued message's request and response are checked by strict mode (when the connection has a validator). Default true.</summary>
    public bool Validate { get; init; } = true;

    internal void Check()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MessageAttempts, 1, nameof(MessageAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThan(MessageRetryInterval, TimeSpan.Zero, nameof(MessageRetryInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxQueuedMessages, 1, nameof(MaxQueuedMessages));
        ArgumentNullException.ThrowIfNull(TransactionActions, nameof(TransactionActions));
        if (CallTimeout is { } timeout && timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(CallTimeout), "CallTimeout must be positive or infinite.");
        }
    }
}

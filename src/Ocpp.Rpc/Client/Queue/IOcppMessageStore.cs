namespace Ocpp.Rpc.Client;

/// <summary>
/// Where an <see cref="OcppClient"/> keeps its outbound transaction messages until the CSMS answered them, and the
/// results afterwards (readable by <see cref="OcppStoredMessage.Id"/>). <see cref="InMemoryOcppMessageStore"/> keeps
/// them in memory (lost with the process); the package <c>Ocpp.Rpc.Sqlite</c> keeps them in a SQLite file that
/// survives a crash or a reboot.
/// </summary>
/// <remarks>
/// The client calls the store from one message at a time per operation kind, but enqueues and completions may overlap;
/// an implementation must be safe for concurrent use. Every method must be atomic: after a crash at any point a
/// message is either queued (with its id, payload and attempts) or completed with its result, never half of either.
/// The client does not dispose the store: its owner does, after disposing the client.
/// </remarks>
public interface IOcppMessageStore
{
    /// <summary>The messages not yet completed, oldest first (the order they are sent in). Called once by a client, before anything else.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The pending messages in enqueue order.</returns>
    /// <exception cref="OcppMessageStoreException">The store cannot be read (corrupted, locked, unavailable).</exception>
    ValueTask<IReadOnlyList<OcppStoredMessage>> LoadPendingAsync(CancellationToken cancellationToken = default);

    /// <summary>Appends a message durably and assigns its <see cref="OcppStoredMessage.Id"/> (increasing, never reused).</summary>
    /// <param name="messageId">The OCPP-J message id every attempt is sent with.</param>
    /// <param name="action">The action name.</param>
    /// <param name="payload">The request payload, UTF-8 JSON (copied by the store).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored message.</returns>
    /// <exception cref="OcppMessageStoreException">The write failed; the message is not queued.</exception>
    ValueTask<OcppStoredMessage> EnqueueAsync(string messageId, string action, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default);

    /// <summary>Records how many attempts a pending message has had (after a CALLERROR or a timeout).</summary>
    /// <param name="id">The message's store id.</param>
    /// <param name="attempts">The attempts made so far.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask SetAttemptsAsync(long id, int attempts, CancellationToken cancellationToken = default);

    /// <summary>Marks a message completed (answered or dropped) with its result, which stays readable by id for a while.</summary>
    /// <param name="result">The result.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask CompleteAsync(OcppMessageResult result, CancellationToken cancellationToken = default);

    /// <summary>The result of a completed message; <see langword="null"/> when it is still pending, or unknown (never stored, or no longer retained).</summary>
    /// <param name="id">The message's store id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The result, or <see langword="null"/>.</returns>
    ValueTask<OcppMessageResult?> GetResultAsync(long id, CancellationToken cancellationToken = default);
}

namespace Ocpp.Rpc.Client;

/// <summary>
/// A queued transaction message: <see cref="Completion"/> completes when the CSMS answered it (or it was dropped after
/// its attempts). After a restart, <see cref="OcppClient.GetQueuedMessagesAsync"/> gives the handles of what is still
/// queued and <see cref="OcppClient.GetMessageResultAsync"/> reads a result by <see cref="Id"/>.
/// </summary>
public sealed class OcppMessageHandle
{
    internal OcppMessageHandle(OcppStoredMessage message, Task<OcppMessageResult> completion)
    {
        Id = message.Id;
        MessageId = message.MessageId;
        Action = message.Action;
        Completion = completion;
    }

    /// <summary>The store id: increasing in enqueue order, stable across restarts.</summary>
    public long Id { get; }

    /// <summary>The OCPP-J message id every attempt is sent with.</summary>
    public string MessageId { get; }

    /// <summary>The action name.</summary>
    public string Action { get; }

    /// <summary>
    /// Completes with the result when the CSMS answered (<see cref="OcppMessageStatus.Answered"/>) or the message was
    /// dropped (<see cref="OcppMessageStatus.Dropped"/>). Faults with <see cref="OcppConnectionClosedException"/> when the
    /// client is disposed first (the message stays in a durable store and is sent by the next client on it), or with
    /// <see cref="OcppMessageStoreException"/> when the store failed to record the result.
    /// </summary>
    public Task<OcppMessageResult> Completion { get; }

    // Set by the queue before it completes the handle: the parsed answer and the last failure, for CallAsync callers.
    internal System.Text.Json.JsonElement? Response { get; set; }

    internal Exception? LastError { get; set; }
}

namespace Ocpp.Rpc.Client;

/// <summary>
/// A message store in memory: messages are kept in order until answered and lost when the process ends. What a client
/// uses when <see cref="OcppMessageQueueOptions.Store"/> is not set; use <c>SqliteOcppMessageStore</c> (package
/// <c>Ocpp.Rpc.Sqlite</c>) for messages that must survive a crash or a reboot.
/// </summary>
public sealed class InMemoryOcppMessageStore : IOcppMessageStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, OcppStoredMessage> _pending = [];
    private readonly Dictionary<long, OcppMessageResult> _results = [];
    private readonly Queue<long> _resultOrder = new();
    private long _lastId;

    /// <summary>Creates an empty store.</summary>
    /// <param name="retainedResults">How many of the latest results stay readable by id. Default 10,000.</param>
    public InMemoryOcppMessageStore(int retainedResults = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retainedResults);
        RetainedResults = retainedResults;
    }

    /// <summary>How many of the latest results stay readable by id.</summary>
    public int RetainedResults { get; }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<OcppStoredMessage>> LoadPendingAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<OcppStoredMessage>>([.. _pending.Values]);
        }
    }

    /// <inheritdoc/>
    public ValueTask<OcppStoredMessage> EnqueueAsync(string messageId, string action, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(action);
        lock (_lock)
        {
            var message = new OcppStoredMessage(++_lastId, messageId, action, payload.ToArray(), 0);
            _pending.Add(message.Id, message);
            return ValueTask.FromResult(message);
        }
    }

    /// <inheritdoc/>
    public ValueTask SetAttemptsAsync(long id, int attempts, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_pending.TryGetValue(id, out OcppStoredMessage? message))
            {
                _pending[id] = message with { Attempts = attempts };
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask CompleteAsync(OcppMessageResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_lock)
        {
            if (_pending.Remove(result.Id) && RetainedResults > 0)
            {
                _results[result.Id] = result;
                _resultOrder.Enqueue(result.Id);
                while (_resultOrder.Count > RetainedResults)
                {
                    _results.Remove(_resultOrder.Dequeue());
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<OcppMessageResult?> GetResultAsync(long id, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_results.GetValueOrDefault(id));
        }
    }
}

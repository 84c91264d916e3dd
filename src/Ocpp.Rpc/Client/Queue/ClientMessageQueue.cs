using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Ocpp.Rpc.Client;

// The client's transaction-message queue: loads what a store still holds, appends new messages (store first, then
// memory, under one lock so both orders agree), and runs one pump that sends the head message whenever the client is
// open, applies the retry rule, and records the result before it moves on. One message is in flight at a time.
internal sealed class ClientMessageQueue : IAsyncDisposable
{
    private readonly OcppClient _client;
    private readonly OcppMessageQueueOptions _options;
    private readonly IOcppMessageStore _store;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _appendLock = new(1, 1);
    private readonly Channel<Entry> _channel = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<long, Entry> _entries = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _startLock = new();
    private Task? _loading;
    private Task? _pump;
    private int _disposed;

    public ClientMessageQueue(OcppClient client, OcppMessageQueueOptions options, ILogger logger)
    {
        _client = client;
        _options = options;
        _store = options.Store ?? new InMemoryOcppMessageStore();
        _logger = logger;
    }

    public event EventHandler<OcppMessageDroppedEventArgs>? Dropped;

    public int Count => _entries.Count;

    public bool Routes(string action) => _options.TransactionActions.Contains(action);

    /// <summary>Loads the store's pending messages once and starts the pump; a failed load is retried by the next caller.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Task loading;
        lock (_startLock)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, _client);
            if (_loading is not { IsFaulted: false, IsCanceled: false })
            {
                _loading = LoadAsync();
            }

            loading = _loading;
        }

        return loading.WaitAsync(cancellationToken);
    }

    public async ValueTask<OcppMessageHandle> EnqueueAsync(string action, byte[] payload, string? messageId, CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        await _appendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, _client);
            if (_entries.Count >= _options.MaxQueuedMessages)
            {
                throw new OcppCallQueueFullException(_options.MaxQueuedMessages);
            }

            OcppStoredMessage stored = await _store.EnqueueAsync(messageId ?? NewMessageId(), action, payload, cancellationToken).ConfigureAwait(false);
            return Add(stored).Handle;
        }
        finally
        {
            _appendLock.Release();
        }
    }

    public async ValueTask<IReadOnlyList<OcppMessageHandle>> GetQueuedAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        return [.. _entries.Values.OrderBy(e => e.Message.Id).Select(e => e.Handle)];
    }

    public async ValueTask<OcppMessageResult?> GetResultAsync(long id, CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        if (_entries.TryGetValue(id, out Entry? entry))
        {
            return await entry.Result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return await _store.GetResultAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Enqueues a call and waits for its answer, as a plain call would return it.</summary>
    public async Task<JsonElement> CallAsync(string action, byte[] payload, string? messageId, CancellationToken cancellationToken)
    {
        OcppMessageHandle handle = await EnqueueAsync(action, payload, messageId, cancellationToken).ConfigureAwait(false);
        OcppMessageResult result = await handle.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!result.IsAnswered)
        {
            throw new OcppMessageDroppedException(result, handle.LastError);
        }

        return handle.Response is { } response ? response : result.GetResponse();
    }

    // 1.6 counts MeterValues as transaction-related only when it carries a transactionId.
    public static bool IsTransactionMessage(string action, ReadOnlySpan<byte> payload)
    {
        if (!string.Equals(action, "MeterValues", StringComparison.Ordinal))
        {
            return true;
        }

        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("transactionId"u8))
            {
                return true;
            }

            reader.Read();
            reader.Skip();
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        _channel.Writer.TryComplete();
        Task? pump;
        lock (_startLock)
        {
            pump = _pump;
        }

        if (pump is not null)
        {
            await pump.ConfigureAwait(false);
        }

        var closed = new OcppConnectionClosedException("The client was disposed; the message stays in its store and is sent by the next client on it.");
        foreach (Entry entry in _entries.Values)
        {
            entry.Result.TrySetException(closed);
        }

        _entries.Clear();
        _stop.Dispose();
        _appendLock.Dispose();
    }

    private static string NewMessageId() => Guid.CreateVersion7().ToString("N");

    private async Task LoadAsync()
    {
        IReadOnlyList<OcppStoredMessage> pending = await _store.LoadPendingAsync(_stop.Token).ConfigureAwait(false);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        foreach (OcppStoredMessage message in pending)
        {
            Add(message);
        }

        ClientLog.MessagesLoaded(_logger, _client.Identity, pending.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        lock (_startLock)
        {
            _pump ??= Task.Run(() => PumpAsync(_stop.Token), CancellationToken.None);
        }
    }

    private Entry Add(OcppStoredMessage message)
    {
        var entry = new Entry(message);
        _entries[message.Id] = entry;
        _channel.Writer.TryWrite(entry);
        return entry;
    }

    private async Task PumpAsync(CancellationToken stop)
    {
        ChannelReader<Entry> reader = _channel.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stop).ConfigureAwait(false))
            {
                while (reader.TryRead(out Entry? entry))
                {
                    await SendAsync(entry, stop).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Disposed: what is left stays in the store.
        }
    }

    private async Task SendAsync(Entry entry, CancellationToken stop)
    {
        OcppStoredMessage message = entry.Message;
        var callOptions = new OcppCallOptions { MessageId = message.MessageId, Timeout = _options.CallTimeout, SkipValidation = !_options.Validate };
        while (true)
        {
            OcppConnection connection = await _client.WaitForOpenConnectionAsync(stop).ConfigureAwait(false);
            Exception failure;
            try
            {
                JsonElement response = await connection.CallAsync(message.Action, OcppPayload.FromUtf8Json(message.Payload), callOptions, stop).ConfigureAwait(false);
                var result = new OcppMessageResult(message.Id, message.MessageId, message.Action, OcppMessageStatus.Answered, response.GetRawText(), null, null, entry.Attempts + 1, _client.Options.TimeProvider.GetUtcNow());
                entry.Handle.Response = response;
                await CompleteAsync(entry, result).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                throw;
            }
            catch (OcppConnectionClosedException) when (!stop.IsCancellationRequested)
            {
                // The link dropped (before or after the CALL was written): not a failed attempt. The next connection
                // gets the same message id, so a CSMS that remembers answered ids does not handle it twice.
                continue;
            }
#pragma warning disable CA1031 // A CALLERROR, a timeout or a refused send is a failed attempt; the retry rule decides.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failure = ex;
            }

            entry.Attempts++;
            entry.Handle.LastError = failure;
            (string code, string description) = Describe(failure);
            if (entry.Attempts >= _options.MessageAttempts)
            {
                var dropped = new OcppMessageResult(message.Id, message.MessageId, message.Action, OcppMessageStatus.Dropped, null, code, description, entry.Attempts, _client.Options.TimeProvider.GetUtcNow());
                ClientLog.MessageDropped(_logger, _client.Identity, message.Action, message.MessageId, entry.Attempts, code, description);
                if (await CompleteAsync(entry, dropped).ConfigureAwait(false))
                {
                    RaiseDropped(new OcppMessageDroppedEventArgs(dropped, failure));
                }

                return;
            }

            try
            {
                await _store.SetAttemptsAsync(message.Id, entry.Attempts, stop).ConfigureAwait(false);
            }
            catch (OcppMessageStoreException ex)
            {
                // The retry goes on; after a restart the count starts from the last recorded value.
                ClientLog.MessageStoreFailed(_logger, ex, _client.Identity, message.Action, message.MessageId);
            }

            TimeSpan wait = _options.MessageRetryInterval * entry.Attempts;
            ClientLog.MessageRetrying(_logger, _client.Identity, message.Action, message.MessageId, entry.Attempts, wait.TotalMilliseconds, code);
            await Task.Delay(wait, _client.Options.TimeProvider, stop).ConfigureAwait(false);
        }
    }

    // Records the result, then completes the handle; a store failure faults the handle (the answer is not lost from
    // the caller's view, but after a restart the message would be sent again).
    private async ValueTask<bool> CompleteAsync(Entry entry, OcppMessageResult result)
    {
        try
        {
            await _store.CompleteAsync(result, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OcppMessageStoreException ex)
        {
            ClientLog.MessageStoreFailed(_logger, ex, _client.Identity, result.Action, result.MessageId);
            _entries.TryRemove(entry.Message.Id, out _);
            entry.Result.TrySetException(ex);
            return false;
        }

        _entries.TryRemove(entry.Message.Id, out _);
        entry.Result.TrySetResult(result);
        return true;
    }

    private void RaiseDropped(OcppMessageDroppedEventArgs args)
    {
        if (Dropped is not { } handler)
        {
            return;
        }

        try
        {
            handler(_client, args);
        }
#pragma warning disable CA1031 // A subscriber's bug must not stop the queue.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ClientLog.EventHandlerFailed(_logger, ex, _client.Identity, nameof(OcppClient.MessageDropped));
        }
    }

    private static (string Code, string Description) Describe(Exception failure) => failure switch
    {
        OcppRpcException rpc => (rpc.WireCode ?? rpc.Code.ToString(), rpc.Description),
        OcppCallTimeoutException timeout => (OcppMessageResult.TimeoutErrorCode, timeout.Message),
        _ => (failure.GetType().Name, failure.Message),
    };

    private sealed class Entry
    {
        public Entry(OcppStoredMessage message)
        {
            Message = message;
            Attempts = message.Attempts;
            Handle = new OcppMessageHandle(message, Result.Task);
        }

        public OcppStoredMessage Message { get; }

        public TaskCompletionSource<OcppMessageResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public OcppMessageHandle Handle { get; }

        public int Attempts { get; set; }
    }
}

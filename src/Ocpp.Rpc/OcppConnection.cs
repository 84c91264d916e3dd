using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ocpp.Rpc.Internal;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc;

/// <summary>
/// One OCPP-J RPC connection over an <see cref="IOcppTransport"/>, used the same way by a charge point and by a
/// CSMS: register handlers for inbound CALLs, make outbound calls with <see cref="CallAsync(string, OcppPayload, OcppCallOptions?, CancellationToken)"/>,
/// observe traffic through events, and close with <see cref="CloseAsync(OcppCloseOptions?, CancellationToken)"/>.
/// Call <see cref="Start"/> after registering handlers to begin reading.
/// </summary>
public sealed partial class OcppConnection : IOcppPeer, IOcppHandlerRegistry, IAsyncDisposable
{
    private const int StateOpen = 0;
    private const int StateClosing = 1;
    private const int StateClosed = 2;

    private readonly IOcppTransport _transport;
    // Created on first use: an idle connection often never needs them (see LazyInitializer below).
    private OcppHandlerRegistry? _handlers;
    private readonly OcppHandlerRegistry? _sharedHandlers;
    private readonly ILogger _logger;
    private Func<string>? _nextMessageId;
    private SemaphoreSlim? _sendLock;
    private SemaphoreSlim? _callSlots;
    private SemaphoreSlim? _handlerSlotFreed;
    // One lock and a few buckets: a connection has few calls in flight, and thousands of idle connections each
    // keep these (they grow when a peer keeps more in flight).
    private ConcurrentDictionary<string, PendingCall>? _pending;
    private InFlightIds? _inboundInFlight;
    private PeerMisbehaviour? _misbehaviour;
    private readonly CancellationTokenSource _stopCalls = new();
    private readonly CancellationTokenSource _lifetime = new();
    private TaskCompletionSource? _drained;
    private readonly TaskCompletionSource<OcppClosedEventArgs> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ConcurrentDictionary<string, object?>? _items;
    private Task? _receiveLoop;
    private Task? _closer;
    private int _started;

    // The activity the connection was started under (e.g. the WebSocket request's), as a link for each message's own
    // trace; null when there was none.
    private System.Diagnostics.ActivityLink[]? _startLinks;
    private int _state;
    private int _activeOperations;
    private int _runningHandlers;
    private int _queuedCalls;
    private int _badMessages;
    private long _pendingSendBytes;
    private string? _abortReason;
    // Filters and message observers (shared with every connection of the same options); null for a plain connection.
    private Filters.ConnectionHooks? _hooks;

    /// <summary>Creates a connection over an open transport. Nothing is read until <see cref="Start"/>.</summary>
    /// <param name="transport">The link; the connection owns it and disposes it.</param>
    /// <param name="options">Behaviour; <see cref="OcppConnectionOptions.Default"/> when null.</param>
    /// <param name="identity">The station identity (used in logs and by servers, which always set it); empty when null.</param>
    /// <param name="sharedHandlers">Handlers shared by many connections (e.g. a server's), consulted after this connection's own.</param>
    public OcppConnection(IOcppTransport transport, OcppConnectionOptions? options = null, string? identity = null, OcppHandlerRegistry? sharedHandlers = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        _transport = transport;
        Options = options ?? OcppConnectionOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.CallConcurrency, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.MaxConcurrentHandlers, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.MaxMessageSize, 64, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.MaxPendingSendBytes, 1, nameof(options));
        if (Options.SendTimeout <= TimeSpan.Zero && Options.SendTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.SendTimeout, "SendTimeout must be positive or infinite.");
        }
        Identity = identity ?? string.Empty;
        ConnectedAt = DateTimeOffset.UtcNow;
        Protocol = transport.Subprotocol;
        Dialect = OcppProtocols.GetDialect(Protocol);
        _sharedHandlers = sharedHandlers;
        _hooks = Filters.ConnectionHooks.For(Options);
        _logger = Options.LoggerFactory?.CreateLogger("Ocpp.Rpc.OcppConnection") ?? NullLogger.Instance;
    }

    /// <summary>A CALL or SEND arrived (raised before its handler runs).</summary>
    public event EventHandler<OcppCallEventArgs>? CallReceived;

    /// <summary>A CALL or SEND was sent.</summary>
    public event EventHandler<OcppCallEventArgs>? CallSent;

    /// <summary>A CALLRESULT arrived for a pending call.</summary>
    public event EventHandler<OcppResultEventArgs>? ResultReceived;

    /// <summary>A CALLRESULT was sent.</summary>
    public event EventHandler<OcppResultEventArgs>? ResultSent;

    /// <summary>A CALLERROR or CALLRESULTERROR arrived.</summary>
    public event EventHandler<OcppErrorEventArgs>? ErrorReceived;

    /// <summary>A CALLERROR or CALLRESULTERROR was sent.</summary>
    public event EventHandler<OcppErrorEventArgs>? ErrorSent;

    /// <summary>A message was not valid OCPP-J or broke the protocol.</summary>
    public event EventHandler<OcppBadMessageEventArgs>? BadMessage;

    /// <summary>A response arrived for an id with no pending call.</summary>
    public event EventHandler<OcppUnmatchedResponseEventArgs>? UnmatchedResponse;

    /// <summary>A payload failed strict-mode validation, inbound or outbound.</summary>
    public event EventHandler<OcppValidationFailedEventArgs>? ValidationFailed;

    /// <summary>The connection closed (raised once).</summary>
    public event EventHandler<OcppClosedEventArgs>? Closed;

    /// <summary>The negotiated subprotocol, e.g. <c>ocpp1.6</c>; <see langword="null"/> when the transport has none.</summary>
    public string? Protocol { get; }

    /// <summary>The RPC rules in force, derived from <see cref="Protocol"/>.</summary>
    public OcppDialect Dialect { get; }

    /// <summary>
    /// The station identity: on a server's connection the one the station connected with, on a client's its own;
    /// empty for a connection made without one.
    /// </summary>
    public string Identity { get; }

    /// <summary>When the connection was created (for a server, when the station's handshake was accepted).</summary>
    public DateTimeOffset ConnectedAt { get; }

    /// <summary>The options the connection was created with.</summary>
    public OcppConnectionOptions Options { get; }

    /// <summary>The current state.</summary>
    public OcppConnectionState State => (OcppConnectionState)Volatile.Read(ref _state);

    /// <summary>Completes when the connection has closed, with how it closed. Never faults.</summary>
    public Task<OcppClosedEventArgs> Completion => _closed.Task;

    /// <summary>Application data attached to the connection (e.g. session data from a server's auth callback).</summary>
    public IDictionary<string, object?> Items => LazyInitializer.EnsureInitialized(ref _items, () => new ConcurrentDictionary<string, object?>(StringComparer.Ordinal));

    /// <summary>This connection's own handlers (the registry behind <see cref="Register"/>).</summary>
    public OcppHandlerRegistry Handlers => LazyInitializer.EnsureInitialized(ref _handlers, static () => new OcppHandlerRegistry());

    /// <summary>Starts reading messages. Idempotent. Register handlers first so no CALL finds none.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            if (System.Diagnostics.Activity.Current is { } started)
            {
                _startLinks = [new System.Diagnostics.ActivityLink(started.Context)];
            }

            Telemetry.ActiveConnections.Add(1);
            _receiveLoop = ReceiveLoopAsync();
        }
    }

    /// <inheritdoc/>
    public IDisposable Register(string? protocol, string action, OcppCallHandler handler) => Handlers.Register(protocol, action, handler);

    /// <inheritdoc/>
    public bool Unregister(string? protocol, string action) => Volatile.Read(ref _handlers)?.Unregister(protocol, action) ?? false;

    /// <inheritdoc/>
    public IDisposable RegisterWildcard(OcppCallHandler? handler) => Handlers.RegisterWildcard(handler);

    /// <summary>
    /// Adds a filter around this connection's inbound calls, after the ones of <see cref="OcppConnectionOptions.CallFilters"/>
    /// and those added before it. Add it before <see cref="Start"/> (e.g. in a server's <c>StationConnected</c>) for
    /// it to see every call; a call already running keeps the pipeline it started with.
    /// </summary>
    /// <param name="filter">The filter.</param>
    public void AddCallFilter(IOcppCallFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        AddHooks(filter, null);
    }

    /// <summary>
    /// Adds a filter around this connection's outbound calls and SENDs, after the ones of
    /// <see cref="OcppConnectionOptions.OutboundCallFilters"/> and those added before it. A call already made keeps
    /// the pipeline it started with.
    /// </summary>
    /// <param name="filter">The filter.</param>
    public void AddOutboundCallFilter(IOcppOutboundCallFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        AddHooks(null, filter);
    }

    private void AddHooks(IOcppCallFilter? inbound, IOcppOutboundCallFilter? outbound)
    {
        Filters.ConnectionHooks? current;
        Filters.ConnectionHooks? next;
        do
        {
            current = Volatile.Read(ref _hooks);
            next = Filters.ConnectionHooks.With(current, inbound, outbound);
        }
        while (Interlocked.CompareExchange(ref _hooks, next, current) != current);
    }

    /// <summary>Closes gracefully if still open (without awaiting pending calls), then releases the transport.</summary>
    public async ValueTask DisposeAsync()
    {
        if (State != OcppConnectionState.Closed)
        {
            try
            {
                await CloseAsync(new OcppCloseOptions { AwaitPending = false, Code = OcppCloseCodes.GoingAway }).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or System.Net.WebSockets.WebSocketException)
            {
                _transport.Abort(); // Ends the receive loop's read.
                Finish(OcppCloseCodes.Abnormal, ex.Message, closedByPeer: false);
            }
        }

        await _transport.DisposeAsync().ConfigureAwait(false);

        // The receive loop may still be finishing a message it read before the link went away (e.g. a forced close):
        // let it end before disposing the token sources it uses, which otherwise faulted it, unobserved, with
        // ObjectDisposedException. It ends promptly: the link is gone and every token is cancelled.
        if (_receiveLoop is { } loop && !await EndedAsync(loop, Options.CloseTimeout).ConfigureAwait(false))
        {
            return; // Still running: leave the token sources to the garbage collector rather than break the loop.
        }

        // Likewise the CloseAsync that started the close, which a forced close or the peer may have overtaken.
        if (Volatile.Read(ref _closer) is { } closer && !await EndedAsync(closer, Options.CloseTimeout).ConfigureAwait(false))
        {
            return;
        }

        _stopCalls.Dispose();
        _lifetime.Dispose();
    }

    private static async Task<bool> EndedAsync(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return false;
        }
#pragma warning disable CA1031 // The loop's own failure has been logged or does not matter once disposing; observe it.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        return true;
    }

    // Per-connection state that an idle connection may never need is created on first use (thread-safe: one
    // instance is published, a racing loser is dropped before use); an idle station costs less memory that way.
    // Factories that read Options capture `this`, so those properties test the field first: the delegate is then
    // allocated only on the first access, not on every message.
    private SemaphoreSlim SendLock => LazyInitializer.EnsureInitialized(ref _sendLock, static () => new SemaphoreSlim(1, 1));

    private SemaphoreSlim CallSlots => _callSlots ?? LazyInitializer.EnsureInitialized(ref _callSlots, () => new SemaphoreSlim(Options.CallConcurrency, Options.CallConcurrency));

    // Signalled by a handler that ends while the receive loop waits at MaxConcurrentHandlers; needed only at the limit.
    private SemaphoreSlim HandlerSlotFreed => _handlerSlotFreed ?? LazyInitializer.EnsureInitialized(ref _handlerSlotFreed, static () => new SemaphoreSlim(0));

    // Completed when the last in-flight operation ends after the close began; only a closing connection needs it.
    private TaskCompletionSource Drained => LazyInitializer.EnsureInitialized(ref _drained, static () => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private ConcurrentDictionary<string, PendingCall> Pending => LazyInitializer.EnsureInitialized(ref _pending, static () => new(concurrencyLevel: 1, capacity: 3, StringComparer.Ordinal));

    private PeerMisbehaviour Misbehaviour => LazyInitializer.EnsureInitialized(ref _misbehaviour, static () => new PeerMisbehaviour());

    private InFlightIds InboundInFlight => LazyInitializer.EnsureInitialized(ref _inboundInFlight, static () => new InFlightIds());

    private string NextMessageId() =>
        (_nextMessageId ?? LazyInitializer.EnsureInitialized(ref _nextMessageId, () => Options.MessageIdGenerator ?? new MessageIdGenerator().Next))();

    private OcppCallHandler? FindHandler(string action)
    {
        OcppHandlerRegistry? own = Volatile.Read(ref _handlers);
        return own?.Find(Protocol, action)
            ?? _sharedHandlers?.Find(Protocol, action)
            ?? own?.Wildcard
            ?? _sharedHandlers?.Wildcard;
    }

    private void Raise<T>(EventHandler<T>? handler, T args, string name)
    {
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(this, args);
        }
#pragma warning disable CA1031 // A subscriber's bug must not break the connection.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.EventHandlerFailed(_logger, ex, Identity, name);
        }
    }

    private void Observe(IOcppMessageObserver[] observers, OcppDirection direction, ReadOnlySpan<byte> message)
    {
        foreach (IOcppMessageObserver observer in observers)
        {
            try
            {
                observer.OnMessage(this, direction, message);
            }
#pragma warning disable CA1031 // An observer's bug must not break the connection.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.EventHandlerFailed(_logger, ex, Identity, nameof(IOcppMessageObserver));
            }
        }
    }

    private static string Text(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);
}

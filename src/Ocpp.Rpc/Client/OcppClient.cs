using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ocpp.Rpc.Client;

/// <summary>
/// A charging station's OCPP-J client: connects to a CSMS over WebSocket (security profiles 0-3), keeps the link
/// alive with pings, reconnects with the OCPP back-off after the link is lost, and queues calls made meanwhile.
/// </summary>
/// <remarks>
/// <para>Handlers registered on the client (<see cref="IOcppHandlerRegistry"/>, e.g. with <c>Handle</c>) live in
/// <see cref="Handlers"/>, shared by every underlying <see cref="OcppConnection"/>, so they survive reconnects.</para>
/// <para>Reconnect policy (as ocpp-rpc): every close that <see cref="CloseAsync"/> did not start triggers a
/// reconnect when <see cref="OcppReconnectOptions.Enabled"/>, including a server's normal close (1000) and a
/// keep-alive timeout; only <see cref="CloseAsync"/> and <see cref="DisposeAsync"/> stop for good. A CSMS that wants
/// a station gone rejects its handshake (401/404), which keeps failing attempts under the back-off.</para>
/// <para>After the first connection, reconnects offer only the negotiated subprotocol (it is pinned for the
/// client's lifetime), so a station never silently changes OCPP version.</para>
/// <para>Per-connection events (<c>CallSent</c>, <c>CallReceived</c>, <c>BadMessage</c>, ...) are on
/// <see cref="Connection"/>; subscribe to them in <see cref="Connected"/>, which is raised before the new connection
/// reads or sends anything.</para>
/// </remarks>
public sealed partial class OcppClient : IOcppPeer, IOcppHandlerRegistry, IAsyncDisposable
{
    private readonly OcppHandlerRegistry _handlers = new();
    private readonly Lock _lock = new();
    private readonly LinkedList<QueuedCall> _queue = new();
    private readonly ILogger _logger;
    private readonly List<ClientEndpoint> _retiredEndpoints = [];
    private ClientEndpoint[] _endpoints;
    private int _activeEndpoint;
    private int _endpointGeneration;
    private bool _switchNow;
    private CancellationTokenSource? _wake;
    private int _state = (int)OcppClientState.Closed;
    private OcppConnection? _connection;
    private string? _protocol;
    private CancellationTokenSource? _stop;
    private Task? _supervisor;
    private Task? _closing;
    private bool _disposed;
    private readonly ClientMessageQueue? _messages;
    private TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates a client. Nothing happens until <see cref="ConnectAsync"/>.</summary>
    /// <param name="options">Endpoint, identity and behaviour.</param>
    /// <exception cref="ArgumentException">
    /// The endpoint (or one of <see cref="OcppClientOptions.Endpoints"/>) is missing, not ws:// or wss://, or does not
    /// match its security profile; the identity or protocol list is empty; or a limit is negative.
    /// </exception>
    public OcppClient(OcppClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Endpoints, nameof(options));
        if (options.Endpoints.Count == 0 && (options.Endpoint is not { IsAbsoluteUri: true } endpoint || (endpoint.Scheme != "ws" && endpoint.Scheme != "wss")))
        {
            throw new ArgumentException("Endpoint must be an absolute ws:// or wss:// URI.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.EndpointAttempts, 1, nameof(options));

        if (string.IsNullOrEmpty(options.Identity))
        {
            throw new ArgumentException("Identity is required.", nameof(options));
        }

        if (options.Protocols is null || options.Protocols.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("Protocols must not contain an empty name (leave it empty for the default list).", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxQueuedCalls, nameof(options));
        if (options.ConnectTimeout <= TimeSpan.Zero && options.ConnectTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "ConnectTimeout must be positive or infinite.");
        }

        if (options.KeepAliveInterval < TimeSpan.Zero && options.KeepAliveInterval != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "KeepAliveInterval must be zero (no pings), positive or infinite.");
        }
        ArgumentNullException.ThrowIfNull(options.Reconnect, nameof(options));
        ArgumentNullException.ThrowIfNull(options.Connection, nameof(options));
        ArgumentNullException.ThrowIfNull(options.Tls, nameof(options));
        options.MessageQueue?.Check();
        Options = options;
        _logger = options.Connection.LoggerFactory?.CreateLogger("Ocpp.Rpc.OcppClient") ?? NullLogger.Instance;
        IReadOnlyList<OcppEndpoint> endpoints = options.Endpoints.Count > 0 ? options.Endpoints : [new OcppEndpoint { Url = options.Endpoint }];
        var created = new List<ClientEndpoint>(endpoints.Count);
        try
        {
            foreach (OcppEndpoint configured in endpoints)
            {
                created.Add(new ClientEndpoint(configured, options));
            }
        }
        catch (ArgumentException ex)
        {
            created.ForEach(e => e.Dispose());
            throw new ArgumentException(ex.Message, nameof(options), ex);
        }

        _endpoints = [.. created];
        if (options.MessageQueue is { } queue)
        {
            _messages = new ClientMessageQueue(this, queue, _logger);
        }
    }

    /// <summary>The state changed (raised after the change).</summary>
    public event EventHandler<OcppClientStateChangedEventArgs>? StateChanged;

    /// <summary>A connection was established (first or reconnect), before it reads or sends anything.</summary>
    public event EventHandler<OcppClientConnectedEventArgs>? Connected;

    /// <summary>A connection ended: closed by the server, dropped, timed out by the keep-alive, or closed by <see cref="CloseAsync"/>.</summary>
    public event EventHandler<OcppClientDisconnectedEventArgs>? Disconnected;

    /// <summary>A reconnection attempt is scheduled (raised before its back-off delay).</summary>
    public event EventHandler<OcppClientReconnectingEventArgs>? Reconnecting;

    /// <summary>The options the client was created with.</summary>
    public OcppClientOptions Options { get; }

    /// <summary>The URL of the active endpoint: endpoint + "/" + percent-encoded identity, plus any query parameters.</summary>
    public Uri Uri => Volatile.Read(ref _endpoints)[Volatile.Read(ref _activeEndpoint)].Uri;

    /// <summary>The station identity.</summary>
    public string Identity => Options.Identity!;

    /// <summary>The current state.</summary>
    public OcppClientState State => (OcppClientState)Volatile.Read(ref _state);

    /// <summary>The subprotocol negotiated by the first connection (and pinned for reconnects); <see langword="null"/> before it.</summary>
    public string? Protocol => Volatile.Read(ref _protocol);

    /// <summary>The current connection; <see langword="null"/> while not connected.</summary>
    public OcppConnection? Connection => Volatile.Read(ref _connection);

    /// <summary>The handlers for inbound CALLs, shared by every connection of this client.</summary>
    public OcppHandlerRegistry Handlers => _handlers;

    /// <inheritdoc/>
    public IDisposable Register(string? protocol, string action, OcppCallHandler handler) => _handlers.Register(protocol, action, handler);

    /// <inheritdoc/>
    public bool Unregister(string? protocol, string action) => _handlers.Unregister(protocol, action);

    /// <inheritdoc/>
    public IDisposable RegisterWildcard(OcppCallHandler? handler) => _handlers.RegisterWildcard(handler);

    /// <summary>Closes (going away, without awaiting pending calls) and releases the HTTP handler. The client cannot be reused.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await CloseAsync(new OcppCloseOptions { AwaitPending = false, Code = Transport.OcppCloseCodes.GoingAway }).ConfigureAwait(false);
        if (_messages is not null)
        {
            await _messages.DisposeAsync().ConfigureAwait(false);
        }

        lock (_lock)
        {
            foreach (ClientEndpoint endpoint in _endpoints.Concat(_retiredEndpoints))
            {
                endpoint.Dispose();
            }
        }

        _wake?.Dispose();
        _stop?.Dispose();
    }

    // Sets the state under _lock; returns the previous one.
    private OcppClientState SetStateLocked(OcppClientState state)
    {
        var previous = (OcppClientState)_state;
        Volatile.Write(ref _state, (int)state);
        if (state == OcppClientState.Open)
        {
            _opened.TrySetResult();
        }
        else if (_opened.Task.IsCompleted)
        {
            _opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return previous;
    }

    private void RaiseStateChanged(OcppClientState previous, OcppClientState current)
    {
        if (previous != current)
        {
            Raise(StateChanged, new OcppClientStateChangedEventArgs(previous, current), nameof(StateChanged));
        }
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
#pragma warning disable CA1031 // A subscriber's bug must not break the client.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ClientLog.EventHandlerFailed(_logger, ex, Identity, name);
        }
    }
}

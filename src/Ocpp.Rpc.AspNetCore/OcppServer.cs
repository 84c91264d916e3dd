using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ocpp.Rpc.Clustering;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.AspNetCore;

/// <summary>
/// An OCPP-J server (the CSMS side): accepts station WebSockets under the OCPP handshake rules and the configured
/// security profile, keeps a table of connected stations by identity, and shares its handlers with every connection.
/// Use it standalone with <see cref="ListenAsync"/>, or in ASP.NET Core through <c>AddOcppServer</c> and <c>MapOcpp</c>.
/// </summary>
public sealed partial class OcppServer : IOcppHandlerRegistry, IAsyncDisposable
{
    private readonly OcppHandlerRegistry _handlers = new();
    private readonly ILogger _logger;
    private readonly bool _ownsCluster;
    private readonly IncompleteMessageGuard _incompleteMessages;
    private readonly WebSocketTransportOptions _plainTransport;
    private readonly WebSocketTransportOptions _compressedTransport;
    // The connection options every station gets: Options.Connection with the session policies' filter and the message
    // log in front of the application's own.
    private readonly OcppConnectionOptions _connectionOptions;
    private readonly Policies.StationPolicies? _policies;
    private readonly Policies.HandshakeRateLimiter? _handshakeLimiter;
    private readonly OcppMessageLog? _messageLog;
    private int _sessions;
    private int _stopping;

    /// <summary>Creates a server. Nothing listens until <see cref="ListenAsync"/> or <c>MapOcpp</c>.</summary>
    /// <param name="options">Behaviour; <see cref="OcppServerOptions.Default"/> when null.</param>
    /// <param name="cluster">
    /// Where stations are registered and calls are routed; null for a single node (<see cref="LocalOcppCluster"/>).
    /// Pass a Redis cluster (package <c>Ocpp.Rpc.Redis</c>) so several server nodes act as one CSMS.
    /// </param>
    /// <exception cref="ArgumentException">
    /// An option is out of range (<see cref="ArgumentOutOfRangeException"/>) or the options are inconsistent (e.g. profile 1 or 2 without
    /// <see cref="OcppServerOptions.Authenticate"/>); the message names every such option. The connection options are
    /// checked here too, not when the first station connects.
    /// </exception>
    public OcppServer(OcppServerOptions? options = null, IOcppCluster? cluster = null)
    {
        Options = options ?? OcppServerOptions.Default;
        Validate(Options);
        _logger = Options.Connection.LoggerFactory?.CreateLogger("Ocpp.Rpc.AspNetCore.OcppServer") ?? NullLogger.Instance;
        _incompleteMessages = new IncompleteMessageGuard(Options.IncompleteMessageTimeout, Options.IncompleteMessageBudget);
        _plainTransport = new WebSocketTransportOptions { IncompleteMessages = _incompleteMessages };
        _compressedTransport = _plainTransport with
        {
            MaxReceiveBytesPerSecond = Options.MaxInflatedBytesPerSecond,
            ReceiveBurstBytes = Math.Max(Options.MaxInflatedBytesPerSecond, Options.Connection.MaxMessageSize),
        };
        _ownsCluster = cluster is null;
        Cluster = cluster ?? new LocalOcppCluster(Options.Connection.LoggerFactory);
        // A cluster that shares answers (Redis) covers a retry that reaches another node.
        OcppConnectionOptions connection = Options.DuplicateCalls is { } duplicates
            ? Options.Connection with
            {
                CallFilters =
                [
                    new OcppDuplicateCallFilter(duplicates.Store is null && Cluster is IOcppCallReplyStore shared ? duplicates with { Store = shared } : duplicates, Options.Connection.LoggerFactory),
                    .. Options.Connection.CallFilters,
                ],
            }
            : Options.Connection;
        if (Options.BootGating is not null || Options.CallRateLimit is not null)
        {
            _policies = new Policies.StationPolicies(Options.BootGating, Options.BootGating?.Store ?? Cluster as IOcppBootStatusStore, Options.CallRateLimit, _logger);
        }

        _handshakeLimiter = Options.HandshakeRateLimit is { } handshakes ? new Policies.HandshakeRateLimiter(handshakes) : null;
        _messageLog = Options.MessageLog is { } log ? new OcppMessageLog(log, Options.Connection.LoggerFactory) : null;
        // The session policies run first (a gated or flooding station never reaches the duplicate-call memory), then
        // the duplicate-call filter, then the application's filters.
        _connectionOptions = _policies is null && _messageLog is null ? connection : connection with
        {
            CallFilters = _policies is null ? connection.CallFilters : [_policies, .. connection.CallFilters],
            MessageObservers = _messageLog is null ? connection.MessageObservers : [_messageLog, .. connection.MessageObservers],
            OutboundCallFilters = _policies is { GatesOutbound: true } ? [_policies, .. connection.OutboundCallFilters] : connection.OutboundCallFilters,
        };
    }

    /// <summary>
    /// Where boot gating keeps the last BootNotification status of each identity (<see cref="OcppBootGatingOptions.Store"/>,
    /// the cluster's store, or memory); <see langword="null"/> when <see cref="OcppServerOptions.BootGating"/> is off.
    /// </summary>
    public IOcppBootStatusStore? BootStatusStore => _policies?.Store;

    /// <summary>
    /// Sets a station's boot status as if its BootNotification had been answered so (e.g. an operator rejects a station,
    /// or accepts a Pending one that will not boot again soon): in the store, and at once for its connection on this node.
    /// </summary>
    /// <param name="identity">The station identity.</param>
    /// <param name="status">The status.</param>
    /// <param name="cancellationToken">Cancels the store's write.</param>
    /// <exception cref="InvalidOperationException"><see cref="OcppServerOptions.BootGating"/> is off.</exception>
    public async ValueTask SetBootStatusAsync(string identity, OcppBootStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (_policies?.Store is not { } store)
        {
            throw new InvalidOperationException("Boot gating is off (OcppServerOptions.BootGating is null).");
        }

        await store.SetAsync(identity, status, cancellationToken).ConfigureAwait(false);
        if (Cluster.TryGetLocal(identity, out OcppConnection? connection))
        {
            _policies.SetBootStatus(connection, status);
        }
    }

    /// <summary>The boot status of a station connected to this node as the gate applies it; <see langword="null"/> when not booted, not connected here, or gating is off.</summary>
    /// <param name="identity">The station identity.</param>
    /// <returns>The status.</returns>
    public OcppBootStatus? GetBootStatus(string identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return _policies is not null && Cluster.TryGetLocal(identity, out OcppConnection? connection) ? _policies.GetBootStatus(connection) : null;
    }

    /// <summary>
    /// The cluster this server registers its stations in. Use it to call a station held by any node, to publish
    /// application events to every node, or to broadcast a call to every station.
    /// </summary>
    public IOcppCluster Cluster { get; }

    /// <summary>A station connected. Register its own handlers here: the connection starts reading after the event.</summary>
    public event EventHandler<OcppStationConnectedEventArgs>? StationConnected;

    /// <summary>A station's connection closed and was removed from <see cref="Connections"/>.</summary>
    public event EventHandler<OcppStationDisconnectedEventArgs>? StationDisconnected;

    /// <summary>A handshake was refused (bad identity, failed authentication, limits, ...).</summary>
    public event EventHandler<OcppHandshakeRejectedEventArgs>? HandshakeRejected;

    /// <summary>The options the server was created with.</summary>
    public OcppServerOptions Options { get; }

    /// <summary>The handlers shared by every connection, consulted after a connection's own.</summary>
    public OcppHandlerRegistry Handlers => _handlers;

    /// <summary>The stations connected to this node by identity (a snapshot of <see cref="IOcppCluster.LocalConnections"/>, the node's one table).</summary>
    public IReadOnlyDictionary<string, OcppConnection> Connections => Cluster.LocalConnections.ToDictionary(c => c.Identity, StringComparer.Ordinal);

    /// <summary>How many stations are connected to this node.</summary>
    public int ConnectionCount => Cluster.LocalConnections.Count;

    /// <summary>Finds the connection of a connected station.</summary>
    /// <param name="identity">The station identity.</param>
    /// <param name="connection">The connection, when connected.</param>
    /// <returns>Whether the station is connected to this server.</returns>
    public bool TryGetConnection(string identity, [NotNullWhen(true)] out OcppConnection? connection)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return Cluster.TryGetLocal(identity, out connection);
    }

    /// <summary>Returns the connection of a connected station.</summary>
    /// <param name="identity">The station identity.</param>
    /// <exception cref="OcppStationNotConnectedException">The station is connected to no node of the cluster.</exception>
    public OcppConnection GetConnection(string identity) =>
        TryGetConnection(identity, out OcppConnection? connection) ? connection : throw new OcppStationNotConnectedException(identity);

    /// <summary>Sends a CALL to a station on any node and waits for its CALLRESULT (the same as <c>GetStation(identity).CallAsync(...)</c>).</summary>
    /// <param name="identity">The station identity.</param>
    /// <param name="action">The action name.</param>
    /// <param name="payload">The request payload.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The CALLRESULT payload.</returns>
    /// <exception cref="OcppStationNotConnectedException">The station is connected to no node of the cluster.</exception>
    public Task<JsonElement> CallAsync(string identity, string action, OcppPayload payload = default, OcppCallOptions? options = null, CancellationToken cancellationToken = default) =>
        Cluster.CallAsync(identity, action, payload, options, cancellationToken);

    /// <summary>
    /// A station to call wherever its socket is (this node, or another node of the cluster): typed calls are
    /// <c>server.GetStation(id).CallAsync(request)</c>. No lookup is made now; each call is routed when made.
    /// </summary>
    /// <param name="identity">The station identity.</param>
    /// <returns>The station.</returns>
    public IOcppStation GetStation(string identity) => Cluster.GetStation(identity);

    /// <summary>Every station connected to any node of the cluster (see <see cref="IOcppCluster.ListStationsAsync"/>).</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The stations: identity, protocol, node and connection time.</returns>
    public IAsyncEnumerable<OcppStationInfo> ListStationsAsync(CancellationToken cancellationToken = default) => Cluster.ListStationsAsync(cancellationToken);

    /// <inheritdoc/>
    public IDisposable Register(string? protocol, string action, OcppCallHandler handler) => _handlers.Register(protocol, action, handler);

    /// <inheritdoc/>
    public bool Unregister(string? protocol, string action) => _handlers.Unregister(protocol, action);

    /// <inheritdoc/>
    public IDisposable RegisterWildcard(OcppCallHandler? handler) => _handlers.RegisterWildcard(handler);

    // Every rule at once, connection options included, so a bad value fails here and not when the first station connects.
    private static void Validate(OcppServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.Protocols);
        ArgumentNullException.ThrowIfNull(options.Connection);
        if (Configuration.OcppServerOptionsValidator.Validate(options, "OcppServerOptions.", out bool outOfRange) is { Count: > 0 } failures)
        {
            string message = string.Join(" ", failures);
            throw outOfRange ? new ArgumentOutOfRangeException(nameof(options), message) : new ArgumentException(message, nameof(options));
        }
    }

    internal bool IsStopping => Volatile.Read(ref _stopping) == 1;

    internal bool IsListening => _app is not null;

    private void Raise<T>(EventHandler<T>? handler, T args)
    {
        try
        {
            handler?.Invoke(this, args);
        }
#pragma warning disable CA1031 // A subscriber's bug must not break the server.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Internal.ServerLog.EventHandlerFailed(_logger, ex, typeof(T).Name);
        }
    }
}

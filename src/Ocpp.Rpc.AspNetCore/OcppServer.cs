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
    private readonly ConcurrentDictionary<string, OcppConnection> _connections = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly bool _ownsCluster;
    private readonly IncompleteMessageGuard _incompleteMessages;
    private readonly WebSocketTransportOptions _plainTransport;
    private readonly WebSocketTransportOptions _compressedTransport;
    private readonly OcppConnectionOptions _connectionOptions;
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
        _connectionOptions = Options.DuplicateCalls is { } duplicates
            ? Options.Connection with { CallFilters = [new OcppDuplicateCallFilter(duplicates), .. Options.Connection.CallFilters] }
            : Options.Connection;
        _ownsCluster = cluster is null;
        Cluster = cluster ?? new LocalOcppCluster(Options.Connection.LoggerFactory);
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

    /// <summary>The connected stations by identity (a snapshot).</summary>
    public IReadOnlyDictionary<string, OcppConnection> Connections => new Dictionary<string, OcppConnection>(_connections, StringComparer.Ordinal);

    /// <summary>How many stations are connected.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>Finds the connection of a connected station.</summary>
    /// <param name="identity">The station identity.</param>
    /// <param name="connection">The connection, when connected.</param>
    /// <returns>Whether the station is connected to this server.</returns>
    public bool TryGetConnection(string identity, [NotNullWhen(true)] out OcppConnection? connection)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return _connections.TryGetValue(identity, out connection);
    }

    /// <summary>Returns the connection of a connected station.</summary>
    /// <param name="identity">The station identity.</param>
    /// <exception cref="OcppStationNotConnectedException">The station is connected to no node of the cluster.</exception>
    public OcppConnection GetConnection(string identity) =>
        TryGetConnection(identity, out OcppConnection? connection) ? connection : throw new OcppStationNotConnectedException(identity);

    /// <summary>Sends a CALL to a connected station and waits for its CALLRESULT.</summary>
    /// <param name="identity">The station identity.</param>
    /// <param name="action">The action name.</param>
    /// <param name="payload">The request payload.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The CALLRESULT payload.</returns>
    /// <exception cref="OcppStationNotConnectedException">The station is connected to no node of the cluster.</exception>
    public Task<JsonElement> CallAsync(string identity, string action, OcppPayload payload = default, OcppCallOptions? options = null, CancellationToken cancellationToken = default) =>
        Cluster.CallAsync(identity, action, payload, options, cancellationToken);

    /// <summary>Sends a typed CALL to a connected station and waits for its typed CALLRESULT.</summary>
    /// <typeparam name="TRequest">The request record.</typeparam>
    /// <typeparam name="TResponse">Its response record, inferred from the request.</typeparam>
    /// <param name="identity">The station identity.</param>
    /// <param name="request">The request.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The response.</returns>
    /// <exception cref="OcppStationNotConnectedException">The station is connected to no node of the cluster.</exception>
    public Task<TResponse> CallAsync<TRequest, TResponse>(string identity, IOcppRequest<TRequest, TResponse> request, OcppCallOptions? options = null, CancellationToken cancellationToken = default)
        where TRequest : IOcppRequest<TRequest, TResponse> =>
        Cluster.CallAsync(identity, request, options, cancellationToken);

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

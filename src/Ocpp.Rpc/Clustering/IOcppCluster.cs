using System.Text.Json;

namespace Ocpp.Rpc.Clustering;

/// <summary>
/// Where stations are connected, across one server node (<see cref="LocalOcppCluster"/>) or many (the Redis adapter
/// in <c>Ocpp.Rpc.Redis</c>). A server registers each accepted connection here; application code calls any station
/// through it, whichever node holds the socket.
/// </summary>
public interface IOcppCluster : IAsyncDisposable
{
    /// <summary>This node's unique id.</summary>
    string NodeId { get; }

    /// <summary>
    /// Registers a connection accepted by this node and announces its presence: <see cref="TryAddLocal"/> (replacing
    /// an older connection of the same identity on this node, which is not closed here) then <see cref="AnnounceLocalAsync"/>.
    /// </summary>
    /// <param name="connection">The open connection; its <see cref="OcppConnection.Identity"/> must be set.</param>
    /// <param name="cancellationToken">Cancels the registration.</param>
    ValueTask AddLocalAsync(OcppConnection connection, CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts a connection accepted by this node in the node's table of stations (the only one: a server keeps none of
    /// its own), at once and without the backplane. <see cref="AnnounceLocalAsync"/> then tells the other nodes.
    /// </summary>
    /// <param name="connection">The connection; its <see cref="OcppConnection.Identity"/> must not be empty.</param>
    /// <param name="replace">Whether a connection of the same identity already here is replaced (else this one is refused).</param>
    /// <param name="replaced">The connection it replaced, for the caller to close; <see langword="null"/> if none.</param>
    /// <returns>Whether the connection was added.</returns>
    bool TryAddLocal(OcppConnection connection, bool replace, out OcppConnection? replaced);

    /// <summary>
    /// Announces a connection added with <see cref="TryAddLocal"/> to the other nodes: a connection with the same
    /// identity held by another node is closed there. No effect if it was removed or replaced meanwhile.
    /// </summary>
    /// <param name="connection">The connection.</param>
    /// <param name="cancellationToken">Cancels the announcement.</param>
    ValueTask AnnounceLocalAsync(OcppConnection connection, CancellationToken cancellationToken = default);

    /// <summary>Unregisters a connection of this node (no effect if a newer connection replaced it).</summary>
    /// <param name="connection">The connection that closed.</param>
    ValueTask RemoveLocalAsync(OcppConnection connection);

    /// <summary>Finds a station connected to this node.</summary>
    /// <param name="identity">The station identity.</param>
    /// <param name="connection">The connection, when found.</param>
    bool TryGetLocal(string identity, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out OcppConnection? connection);

    /// <summary>The stations connected to this node.</summary>
    IReadOnlyCollection<OcppConnection> LocalConnections { get; }

    /// <summary>Whether a station is connected to any node.</summary>
    /// <param name="identity">The station identity.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    ValueTask<bool> IsConnectedAsync(string identity, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls a station on whichever node holds it and returns its CALLRESULT payload. The caller's timeout covers the
    /// whole round trip. Throws <see cref="OcppStationNotConnectedException"/> at once when the station is connected to
    /// no live node, the station's CALLERROR as an <see cref="OcppRpcException"/>, <see cref="OcppCallTimeoutException"/>
    /// when no answer arrives in time (also when the node holding the station dies mid-call), and
    /// <see cref="OcppClusterUnavailableException"/> when the backplane is unreachable. Calls to stations on this node
    /// never need the backplane.
    /// </summary>
    /// <param name="identity">The station identity.</param>
    /// <param name="action">The action.</param>
    /// <param name="payload">The request payload.</param>
    /// <param name="options">Timeout, validation and message id.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    Task<JsonElement> CallAsync(string identity, string action, OcppPayload payload = default, OcppCallOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends an OCPP 2.1 SEND to a station on whichever node holds it; completes once the owner has handed it to the
    /// station's transport. Throws like <see cref="CallAsync"/> (a SEND is never answered by the station).
    /// </summary>
    /// <param name="identity">The station identity.</param>
    /// <param name="action">The action.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="options">Validation, message id and protocol.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    Task SendAsync(string identity, string action, OcppPayload payload = default, OcppCallOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>A handle on a station wherever its socket is (no lookup now: each call is routed when made).</summary>
    /// <param name="identity">The station identity.</param>
    /// <returns>The station.</returns>
    /// <exception cref="ArgumentException">The identity is null or empty.</exception>
    IOcppStation GetStation(string identity);

    /// <summary>Where and how a station is connected, on any node.</summary>
    /// <param name="identity">The station identity.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>Its identity, protocol, node and connection time, or <see langword="null"/> when it is connected nowhere.</returns>
    ValueTask<OcppStationInfo?> FindStationAsync(string identity, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every station connected to any live node, each once: this node's first, then the others' as the backplane
    /// lists them (a station that connects or leaves meanwhile may or may not be listed).
    /// </summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The stations.</returns>
    IAsyncEnumerable<OcppStationInfo> ListStationsAsync(CancellationToken cancellationToken = default);

    /// <summary>Publishes an application event to every node's subscribers of <paramref name="channel"/>, this node's included.</summary>
    /// <param name="channel">The channel name.</param>
    /// <param name="message">The message text (e.g. JSON).</param>
    /// <param name="cancellationToken">Cancels the publish.</param>
    Task PublishAsync(string channel, string message, CancellationToken cancellationToken = default);

    /// <summary>Subscribes to application events on <paramref name="channel"/> from every node. Dispose to unsubscribe.</summary>
    /// <param name="channel">The channel name.</param>
    /// <param name="handler">Called for each message; exceptions are logged and ignored.</param>
    /// <param name="cancellationToken">Cancels the subscription request.</param>
    ValueTask<IAsyncDisposable> SubscribeAsync(string channel, Func<string, ValueTask> handler, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a CALL to every station on every node without waiting for the answers (results and errors are logged).
    /// Returns once every node has been asked.
    /// </summary>
    /// <param name="action">The action.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="protocol">Only stations speaking this subprotocol, or all when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    Task BroadcastCallAsync(string action, OcppPayload payload = default, string? protocol = null, CancellationToken cancellationToken = default);
}

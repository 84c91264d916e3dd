using Ocpp.Rpc.Clustering;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Ocpp.Rpc.Redis.Internal;
using StackExchange.Redis;

namespace Ocpp.Rpc.Redis;

// Presence: claiming a station for this node (and evicting its older connection elsewhere), the compare-and-delete
// on disconnect, the heartbeat and the one-batch-per-interval refresh that also re-announces after a Redis outage.
public sealed partial class RedisOcppCluster
{
    private const int RefreshBatchSize = 256;

    private long _presenceRefreshes;

    /// <inheritdoc/>
    public async ValueTask AddLocalAsync(OcppConnection connection, CancellationToken cancellationToken = default)
    {
        TryAddLocal(connection, replace: true, out _);
        await AnnounceLocalAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>The connection shows in <see cref="TryGetLocal"/> once it is announced (or the announcement failed).</remarks>
    public bool TryAddLocal(OcppConnection connection, bool replace, out OcppConnection? replaced)
    {
        ArgumentNullException.ThrowIfNull(connection);
        string identity = connection.Identity is { Length: > 0 } id ? id : throw new ArgumentException("The connection has no identity.", nameof(connection));
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var station = new LocalStation(connection, StationKey(identity));
        LocalStation? previous = null;
        if (!replace)
        {
            replaced = null;
            if (!_local.TryAdd(identity, station))
            {
                return false;
            }
        }
        else
        {
            _local.AddOrUpdate(identity, station, (_, old) =>
            {
                previous = old;
                return station;
            });
        }

        Telemetry.LocalStations.Add(1);
        _routeHints.TryRemove(identity, out _); // Here now: calls to it no longer leave this node.
        if (previous is not null)
        {
            Forget(previous);
        }

        replaced = previous?.Connection;
        return true;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The presence is announced before the connection shows here (<see cref="TryGetLocal"/>,
    /// <see cref="LocalConnections"/>), so whoever sees it locally can also reach it from other nodes; routed calls that
    /// arrive meanwhile are served. If Redis is unreachable the failure is logged (not thrown), the connection shows at
    /// once, and the announcement is retried by the refresh loop.
    /// </remarks>
    public async ValueTask AnnounceLocalAsync(OcppConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        string identity = connection.Identity;
        if (!_local.TryGetValue(identity, out LocalStation? station) || station.Connection != connection || station.Value is not null)
        {
            return; // Removed or replaced meanwhile, or announced already.
        }

        string? previousNode = null;
        try
        {
            previousNode = await ClaimAsync(identity, station, cancellationToken).ConfigureAwait(false);
        }
        catch (OcppClusterUnavailableException ex)
        {
            Log.AnnounceFailed(_logger, ex, NodeId, identity);
        }
        finally
        {
            station.Visible = true;
        }

        if (!_local.TryGetValue(identity, out LocalStation? current) || current != station)
        {
            // Closed (or replaced) while the claim was in flight: take the presence back unless something newer has it.
            await UnclaimQuietlyAsync(identity, station).ConfigureAwait(false);
        }
        else if (previousNode is not null)
        {
            await EvictElsewhereAsync(identity, previousNode, station.Generation).ConfigureAwait(false);
        }
    }

    private async Task UnclaimQuietlyAsync(string identity, LocalStation station)
    {
        if (station.Value is not { } value)
        {
            return;
        }

        try
        {
            IConnectionMultiplexer redis = await GetRedisAsync().ConfigureAwait(false);
            await Guard(redis.GetDatabase().ScriptEvaluateAsync(Scripts.Unclaim, [station.Key], [value]), $"remove the presence of '{identity}'", default).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OcppClusterUnavailableException or ObjectDisposedException)
        {
            // The presence expires with its TTL; callers meanwhile get "not connected" from this node.
            Log.UnannounceFailed(_logger, ex, NodeId, identity);
        }
    }

    /// <inheritdoc/>
    public async ValueTask RemoveLocalAsync(OcppConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.Identity is not { } identity
            || !_local.TryGetValue(identity, out LocalStation? station)
            || station.Connection != connection
            || !_local.TryRemove(new KeyValuePair<string, LocalStation>(identity, station))
            || !Forget(station)
            || Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        await UnclaimQuietlyAsync(identity, station).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="OcppClusterUnavailableException">The station is not on this node and Redis cannot be asked.</exception>
    public async ValueTask<bool> IsConnectedAsync(string identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (TryGetLocal(identity, out _))
        {
            return true;
        }

        return await FindOwnerAsync(identity, _options.OperationTimeout, cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>The node holding <paramref name="identity"/> with a live heartbeat, or null.</summary>
    private async Task<string?> FindOwnerAsync(string identity, TimeSpan limit, CancellationToken cancellationToken)
    {
        IConnectionMultiplexer redis = await GetRedisAsync().ConfigureAwait(false);
        if (!redis.IsConnected)
        {
            throw NotConnectedToRedis($"find the node holding '{identity}'");
        }

        return (await FindPresenceAsync(redis, identity, $"find the node holding '{identity}'", cancellationToken, limit).ConfigureAwait(false)).Node;
    }

    /// <summary>
    /// Reads a station's presence: one <c>GET</c>, plus a <c>PTTL</c> of the owner's heartbeat when this node has not
    /// seen it recently (<see cref="IsNodeAliveAsync"/>). Nothing when there is no presence or its node is dead.
    /// </summary>
    private async Task<(string? Node, string? Value)> FindPresenceAsync(IConnectionMultiplexer redis, string identity, string what, CancellationToken cancellationToken, TimeSpan? limit = null)
    {
        IDatabase db = redis.GetDatabase();
        RedisValue value = await Guard(db.StringGetAsync(StationKey(identity)), what, cancellationToken, limit).ConfigureAwait(false);
        string? text = value;
        return TryParsePresence(text, out _, out string? node) && await IsNodeAliveAsync(db, node, what, cancellationToken, limit).ConfigureAwait(false)
            ? (node, text)
            : (null, null);
    }

    /// <summary>Claims the presence for this node; returns the other node that held it before, if any.</summary>
    private async Task<string?> ClaimAsync(string identity, LocalStation station, CancellationToken cancellationToken)
    {
        IConnectionMultiplexer redis = await GetRedisAsync().ConfigureAwait(false);
        if (!redis.IsConnected)
        {
            throw NotConnectedToRedis($"announce '{identity}'");
        }

        RedisResult result = await Guard(
            redis.GetDatabase().ScriptEvaluateAsync(Scripts.Claim, [station.Key], [PresenceSuffix(station.Connection), (long)_options.PresenceTtl.TotalMilliseconds]),
            $"announce '{identity}'",
            cancellationToken).ConfigureAwait(false);
        var parts = (RedisResult[])result!;
        string generationText = (string)parts[0]!;
        long generation = long.Parse(generationText, NumberStyles.None, CultureInfo.InvariantCulture);
        station.SetRegistration(generation, generationText + "|" + PresenceSuffix(station.Connection));
        return TryParsePresence(parts[1].IsNull ? null : (string?)parts[1], out _, out string? previousNode) && previousNode != NodeId ? previousNode : null;
    }

    /// <summary>Tells the node that held the station before to close its (older) connection.</summary>
    private async Task EvictElsewhereAsync(string identity, string previousNode, long generation)
    {
        var evict = new ClusterMessage { Type = ClusterMessageType.Evict, Node = NodeId, Station = identity, Number = generation };
        try
        {
            IConnectionMultiplexer redis = await GetRedisAsync().ConfigureAwait(false);
            await Guard(redis.GetSubscriber().PublishAsync(NodeChannel(previousNode, "ctl"), Serialize(evict)), $"evict '{identity}' from node {previousNode}", default).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OcppClusterUnavailableException or ObjectDisposedException)
        {
            Log.EvictionFailed(_logger, ex, NodeId, previousNode, identity);
        }
    }

    private void OnControl(RedisChannel channel, RedisValue value)
    {
        ClusterMessage? message = Deserialize(channel, value);
        if (message is { Type: ClusterMessageType.Evict, Station: { } identity, Number: { } generation }
            && _local.TryGetValue(identity, out LocalStation? station)
            && station.Generation != 0
            && station.Generation < generation)
        {
            Evict(identity, station, message.Node ?? "?");
        }
    }

    /// <summary>Drops a connection superseded by a newer registration elsewhere and closes it.</summary>
    private void Evict(string identity, LocalStation station, string otherNode)
    {
        if (Interlocked.Exchange(ref station.Evicted, 1) != 0)
        {
            return;
        }

        if (_local.TryRemove(new KeyValuePair<string, LocalStation>(identity, station)))
        {
            Forget(station);
        }

        Telemetry.Evictions.Add(1);
        Log.Evicting(_logger, NodeId, identity, otherNode);
        _ = CloseEvictedAsync(station.Connection);
    }

    /// <summary>Counts a station out of the local-stations gauge once; returns true.</summary>
    private static bool Forget(LocalStation station)
    {
        if (Interlocked.Exchange(ref station.Forgotten, 1) == 0)
        {
            Telemetry.LocalStations.Add(-1);
        }

        return true;
    }

    private async Task CloseEvictedAsync(OcppConnection connection)
    {
        try
        {
            await connection.CloseAsync(new OcppCloseOptions { Code = _options.EvictionCloseCode, Reason = _options.EvictionCloseReason, AwaitPending = false }).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The connection may already be closing; nothing to report to anyone.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private async Task RunLoopAsync(IConnectionMultiplexer redis, CancellationToken stopping)
    {
        long lastPresenceRefresh = Stopwatch.GetTimestamp();
        while (!stopping.IsCancellationRequested)
        {
            bool woken;
            try
            {
                woken = await _wake.WaitAsync(_options.HeartbeatInterval, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            bool refreshPresence = woken || Stopwatch.GetElapsedTime(lastPresenceRefresh) >= _options.PresenceRefreshInterval;
            try
            {
                if (await TickAsync(redis, refreshPresence).ConfigureAwait(false) && refreshPresence)
                {
                    lastPresenceRefresh = Stopwatch.GetTimestamp();
                }
            }
            catch (Exception ex) when (ex is OcppClusterUnavailableException or RedisException or TimeoutException or ObjectDisposedException)
            {
                Log.RefreshFailed(_logger, ex, NodeId);
            }
        }
    }

    /// <summary>One heartbeat (and, when due, one presence refresh). Returns false when Redis is not connected.</summary>
    private async Task<bool> TickAsync(IConnectionMultiplexer redis, bool refreshPresence)
    {
        if (!redis.IsConnected)
        {
            return false;
        }

        // After a cluster failover: the new primary may lack presence the old one had (expired while the shard was
        // down, or not replicated yet): write it back now.
        refreshPresence |= await ReloadTopologyIfWantedAsync(redis).ConfigureAwait(false);

        // Resubscribe when an attempt failed, or when a channel lost its server (StackExchange.Redis moves
        // subscriptions after a failover by itself; this catches a move it could not make).
        if (!_subscribed || (_channels is { } channels && !redis.GetSubscriber().IsConnected(channels.Request)))
        {
            await TrySubscribeNodeChannelsAsync(redis).ConfigureAwait(false);
        }

        ForgetExpiredNodes();
        ForgetStaleRoutes();
        ForgetIdlePeerLinks();

        IDatabase db = redis.GetDatabase();
        Task<bool> heartbeat = db.StringSetAsync(_nodeKey, HeartbeatValue, _options.NodeHeartbeatTtl);
        Task refresh = refreshPresence ? RefreshPresenceAsync(redis, db) : Task.CompletedTask;
        await Task.WhenAll(Guard(heartbeat, "refresh the heartbeat", default), refresh).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Refreshes the presence of every local station in batches sent together (one pipelined round trip), announces
    /// those not announced yet, and closes local connections that a newer registration elsewhere superseded. A batch
    /// holds keys of one hash slot (on a cluster: one presence bucket; on a standalone server: any keys). A batch that
    /// fails (its shard fails over, its slot migrates) does not stop the others; the refresh then counts as failed and
    /// is retried at the next heartbeat.
    /// </summary>
    private async Task RefreshPresenceAsync(IConnectionMultiplexer redis, IDatabase db)
    {
        var claims = new List<Task>();
        var batches = new List<(List<LocalStation> Items, Task<RedisResult> Result)>();
        var filling = new Dictionary<int, List<LocalStation>>();
        foreach (KeyValuePair<string, LocalStation> entry in _local)
        {
            if (entry.Value.Value is null)
            {
                // Not announced: retry unless AddLocalAsync's own first attempt is still in flight.
                if (entry.Value.Visible)
                {
                    claims.Add(ClaimQuietlyAsync(entry.Key, entry.Value));
                }

                continue;
            }

            int slot = redis.HashSlot(entry.Value.Key);
            if (!filling.TryGetValue(slot, out List<LocalStation>? batch))
            {
                filling[slot] = batch = new List<LocalStation>();
            }

            batch.Add(entry.Value);
            if (batch.Count == RefreshBatchSize)
            {
                batches.Add((batch, SendRefresh(db, batch)));
                filling.Remove(slot);
            }
        }

        foreach (List<LocalStation> batch in filling.Values)
        {
            batches.Add((batch, SendRefresh(db, batch)));
        }

        OcppClusterUnavailableException? failure = null;
        foreach ((List<LocalStation> items, Task<RedisResult> pending) in batches)
        {
            RedisResult[] results;
            try
            {
                results = (RedisResult[])(await Guard(pending, "refresh presence", default).ConfigureAwait(false))!;
            }
            catch (OcppClusterUnavailableException ex)
            {
                failure ??= ex;
                continue;
            }

            for (int i = 0; i < items.Count && i < results.Length; i++)
            {
                if (results[i].Resp2Type == ResultType.BulkString
                    && TryParsePresence((string?)results[i], out long generation, out string? owner)
                    && owner != NodeId
                    && generation > items[i].Generation)
                {
                    // The eviction message was lost (e.g. during an outage): close the superseded connection now.
                    Evict(items[i].Connection.Identity, items[i], owner);
                }
            }
        }

        await Task.WhenAll(claims).ConfigureAwait(false);
        if (failure is not null)
        {
            throw failure;
        }

        Interlocked.Increment(ref _presenceRefreshes);
    }

    /// <summary>How many presence refreshes succeeded in full (for tests).</summary>
    internal long PresenceRefreshes => Interlocked.Read(ref _presenceRefreshes);

    private Task<RedisResult> SendRefresh(IDatabase db, List<LocalStation> batch)
    {
        var keys = new RedisKey[batch.Count];
        var values = new RedisValue[batch.Count + 1];
        values[0] = (long)_options.PresenceTtl.TotalMilliseconds;
        for (int i = 0; i < batch.Count; i++)
        {
            keys[i] = batch[i].Key;
            values[i + 1] = batch[i].Value;
        }

        return db.ScriptEvaluateAsync(Scripts.Refresh, keys, values);
    }

    /// <summary>Announces a station registered while Redis was unreachable.</summary>
    private async Task ClaimQuietlyAsync(string identity, LocalStation station)
    {
        try
        {
            string? previousNode = await ClaimAsync(identity, station, default).ConfigureAwait(false);
            if (!_local.TryGetValue(identity, out LocalStation? current) || current != station)
            {
                // Closed (or replaced) meanwhile: take the presence back unless something newer has it.
                await UnclaimQuietlyAsync(identity, station).ConfigureAwait(false);
            }
            else if (previousNode is not null)
            {
                await EvictElsewhereAsync(identity, previousNode, station.Generation).ConfigureAwait(false);
            }
        }
        catch (OcppClusterUnavailableException ex)
        {
            Log.AnnounceFailed(_logger, ex, NodeId, identity);
        }
    }

    private static byte[] Serialize(ClusterMessage message) => JsonSerializer.SerializeToUtf8Bytes(message, RedisJsonContext.Default.ClusterMessage);

    private ClusterMessage? Deserialize(RedisChannel channel, RedisValue value) =>
        value.IsNull ? null : Deserialize(((ReadOnlyMemory<byte>)value).Span, channel, link: null);

    /// <summary>Reads an envelope from a Redis message (<paramref name="channel"/>) or a link frame (<paramref name="link"/>); null when it is not one.</summary>
    private ClusterMessage? Deserialize(ReadOnlySpan<byte> utf8, RedisChannel channel, NodeLink? link)
    {
        try
        {
            return JsonSerializer.Deserialize(utf8, RedisJsonContext.Default.ClusterMessage);
        }
        catch (JsonException ex)
        {
            Log.BadClusterMessage(_logger, ex, NodeId, link is null ? channel.ToString() : "link from " + link.Peer);
            return null;
        }
    }
}

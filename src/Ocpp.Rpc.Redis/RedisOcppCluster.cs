using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ocpp.Rpc.Clustering;
using Ocpp.Rpc.Redis.Internal;
using StackExchange.Redis;

namespace Ocpp.Rpc.Redis;

/// <summary>
/// An <see cref="IOcppCluster"/> over Redis: several server nodes act as one CSMS.
/// <list type="bullet">
/// <item>Presence: each station's key <c>{prefix}station:{bucket}:{identity}</c> names the node holding its socket,
/// with a TTL refreshed for all local stations in pipelined batches (one script per hash slot) per interval; a node
/// heartbeat key <c>{prefix}node:{nodeId}</c> lets callers tell a dead node quickly.</item>
/// <item>Routed calls: a call to a station held elsewhere is published on the owner's request channel; the owner calls
/// its local connection and publishes the result or error on the caller's reply channel. The caller's timeout covers
/// the whole round trip.</item>
/// <item>Eviction: a station registering on this node closes its older connection on the previous node.</item>
/// <item>Failures: local stations never touch Redis. Operations that need Redis fail fast with
/// <see cref="OcppClusterUnavailableException"/> while it is unreachable; when it returns, subscriptions resume and
/// local stations are announced again.</item>
/// </list>
/// Works with a standalone Redis, a primary behind Sentinel, and Redis Cluster (keys laid out so that every script
/// touches one slot; sharded pub/sub on Redis 7 clusters), with the same options.
/// </summary>
public sealed partial class RedisOcppCluster : IOcppCluster, IOcppClusterHealth
{
    private readonly RedisClusterOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, LocalStation> _local = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingReply> _pending = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Task _started;
    private readonly RedisKey _nodeKey;
    private readonly Action<RedisChannel, RedisValue> _onRequest;
    private readonly Action<RedisChannel, RedisValue> _onReply;
    private readonly Action<RedisChannel, RedisValue> _onControl;
    private readonly Action<RedisChannel, RedisValue> _onBroadcast;
    private IConnectionMultiplexer? _redis;
    private bool _ownsRedis;
    private Task _loop = Task.CompletedTask;
    private volatile bool _subscribed;
    private long _nextCorrelationId;
    private int _disposed;

    private RedisOcppCluster(RedisClusterOptions options, ILoggerFactory? loggerFactory)
    {
        _options = options;
        _logger = loggerFactory?.CreateLogger("Ocpp.Rpc.Redis") ?? NullLogger.Instance;
        NodeId = options.NodeId ?? $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
        _nodeKey = NodeKey(NodeId);
        _onRequest = OnRequest;
        _onReply = OnReply;
        _onControl = OnControl;
        _onBroadcast = OnBroadcast;
        _started = StartAsync();
    }

    /// <inheritdoc/>
    public string NodeId { get; }

    /// <summary>The settings this cluster runs with.</summary>
    public RedisClusterOptions Options => _options;

    /// <summary>Whether this node is connected to Redis right now (local stations work either way).</summary>
    public bool IsRedisConnected => _redis?.IsConnected ?? false;

    string IOcppClusterHealth.BackplaneName => "Redis";

    bool IOcppClusterHealth.IsBackplaneConnected => IsRedisConnected;

    /// <inheritdoc/>
    public IReadOnlyCollection<OcppConnection> LocalConnections => [.. _local.Values.Where(s => s.Visible).Select(s => s.Connection)];

    /// <summary>Routed calls waiting for their reply (for tests: the correlation map must not leak).</summary>
    internal int PendingCallCount => _pending.Count;

    /// <summary>Completes when the node has connected (or, with Redis down, tried to) and started its heartbeat.</summary>
    internal Task Started => _started;

    /// <summary>
    /// Connects a node to the cluster: opens (or reuses) the Redis connection, subscribes to this node's channels and
    /// starts the heartbeat. If Redis is unreachable the node still starts; it joins when Redis answers.
    /// </summary>
    /// <param name="options">The settings; one of <see cref="RedisClusterOptions.Configuration"/>,
    /// <see cref="RedisClusterOptions.ConfigurationOptions"/> or <see cref="RedisClusterOptions.ConnectionMultiplexer"/> is required.</param>
    /// <param name="loggerFactory">Where the node logs.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static async Task<RedisOcppCluster> ConnectAsync(RedisClusterOptions options, ILoggerFactory? loggerFactory = null)
    {
        RedisOcppCluster cluster = Create(options, loggerFactory);
        try
        {
            await cluster._started.ConfigureAwait(false);
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return cluster;
    }

    /// <summary>Creates a node that connects in the background (operations wait for it); used by dependency injection.</summary>
    internal static RedisOcppCluster Create(RedisClusterOptions options, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new RedisOcppCluster(options, loggerFactory);
    }

    /// <inheritdoc/>
    public bool TryGetLocal(string identity, [NotNullWhen(true)] out OcppConnection? connection)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (_local.TryGetValue(identity, out LocalStation? station) && station.Visible)
        {
            connection = station.Connection;
            return true;
        }

        connection = null;
        return false;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _started.ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Start-up failures were reported to ConnectAsync; shutdown goes on.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        foreach (KeyValuePair<string, PendingReply> pending in _pending)
        {
            pending.Value.TrySetException(new OcppClusterUnavailableException($"Cluster node {NodeId} is shutting down."));
        }

        await StopNodeLinksAsync().ConfigureAwait(false);

        if (_redis is { } redis)
        {
            redis.ConnectionFailed -= OnConnectionFailed;
            redis.ConnectionRestored -= OnConnectionRestored;
            redis.ConfigurationChanged -= OnConfigurationChanged;
            await LeaveAsync(redis).ConfigureAwait(false);
            if (_ownsRedis)
            {
                await redis.DisposeAsync().ConfigureAwait(false);
            }
        }

        foreach (LocalStation station in _local.Values)
        {
            Forget(station);
        }

        _local.Clear();
        _stopping.Dispose();
        _wake.Dispose();
        Log.NodeStopped(_logger, NodeId);
    }

    private async Task StartAsync()
    {
        // Yield so the constructor returns at once; connecting may take up to the connect timeout.
        await Task.Yield();
        StartNodeLinks();
        IConnectionMultiplexer redis;
        if (_options.ConnectionMultiplexer is { } existing)
        {
            redis = existing;
        }
        else
        {
            redis = await ConnectionMultiplexer.ConnectAsync(BuildConfiguration(_options)).ConfigureAwait(false);
            _ownsRedis = true;
        }

        _redis = redis;
        redis.ConnectionFailed += OnConnectionFailed;
        redis.ConnectionRestored += OnConnectionRestored;
        redis.ConfigurationChanged += OnConfigurationChanged;
        if (redis.IsConnected)
        {
            DecidePubSubMode(redis);
            await TrySubscribeNodeChannelsAsync(redis).ConfigureAwait(false);
            try
            {
                await Guard(redis.GetDatabase().StringSetAsync(_nodeKey, HeartbeatValue, _options.NodeHeartbeatTtl), "start the heartbeat", default).ConfigureAwait(false);
            }
            catch (OcppClusterUnavailableException ex)
            {
                Log.RefreshFailed(_logger, ex, NodeId);
            }
        }

        _loop = RunLoopAsync(redis, _stopping.Token);
        Log.NodeStarted(_logger, NodeId, _options.Prefix, redis.IsConnected);
    }

    private static ConfigurationOptions BuildConfiguration(RedisClusterOptions options)
    {
        ConfigurationOptions configuration = options.ConfigurationOptions?.Clone() ?? ConfigurationOptions.Parse(options.Configuration!);
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        return configuration;
    }

    private async Task<IConnectionMultiplexer> GetRedisAsync()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _started.ConfigureAwait(false);
        IConnectionMultiplexer redis = _redis!;
        DecidePubSubMode(redis);
        return redis;
    }

    private async Task TrySubscribeNodeChannelsAsync(IConnectionMultiplexer redis)
    {
        ISubscriber subscriber = redis.GetSubscriber();
        Interlocked.Increment(ref _subscribeAttempts);
        try
        {
            DecidePubSubMode(redis);
            NodeChannels channels = Channels;

            // Unsubscribing first makes a retry after a half-done attempt idempotent.
            await subscriber.UnsubscribeAsync(channels.Request, _onRequest).ConfigureAwait(false);
            await subscriber.UnsubscribeAsync(channels.Reply, _onReply).ConfigureAwait(false);
            await subscriber.UnsubscribeAsync(channels.Control, _onControl).ConfigureAwait(false);
            await subscriber.UnsubscribeAsync(channels.Broadcast, _onBroadcast).ConfigureAwait(false);
            await Task.WhenAll(
                subscriber.SubscribeAsync(channels.Request, _onRequest),
                subscriber.SubscribeAsync(channels.Reply, _onReply),
                subscriber.SubscribeAsync(channels.Control, _onControl),
                subscriber.SubscribeAsync(channels.Broadcast, _onBroadcast)).WaitAsync(_options.OperationTimeout).ConfigureAwait(false);
            _subscribed = true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException or OcppClusterUnavailableException)
        {
            _subscribed = false;
            Log.SubscribeFailed(_logger, ex, NodeId);
        }
    }

    private async Task LeaveAsync(IConnectionMultiplexer redis)
    {
        if (!redis.IsConnected)
        {
            return;
        }

        try
        {
            IDatabase db = redis.GetDatabase();
            var work = new List<Task> { db.KeyDeleteAsync(_nodeKey) };
            foreach (KeyValuePair<string, LocalStation> entry in _local)
            {
                if (entry.Value.Value is { } value)
                {
                    work.Add(db.ScriptEvaluateAsync(Scripts.Unclaim, [entry.Value.Key], [value]));
                }
            }

            ISubscriber subscriber = redis.GetSubscriber();
            if (_channels is { } channels)
            {
                work.Add(subscriber.UnsubscribeAsync(channels.Request, _onRequest));
                work.Add(subscriber.UnsubscribeAsync(channels.Reply, _onReply));
                work.Add(subscriber.UnsubscribeAsync(channels.Control, _onControl));
                work.Add(subscriber.UnsubscribeAsync(channels.Broadcast, _onBroadcast));
            }

            await Task.WhenAll(work).WaitAsync(_options.OperationTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Log.RefreshFailed(_logger, ex, NodeId);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        Log.RedisConnectionFailed(_logger, e.Exception, NodeId, e.ConnectionType.ToString(), e.EndPoint?.ToString(), e.FailureType.ToString());
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            // Replies can no longer arrive: fail waiting calls now rather than at their timeout (those sent over a
            // node link still can: their replies come back over the link).
            foreach (KeyValuePair<string, PendingReply> pending in _pending)
            {
                if (pending.Value.Link is not null)
                {
                    continue;
                }

                pending.Value.TrySetException(new OcppClusterUnavailableException("Lost the connection to Redis while waiting for the reply of a routed call.", e.Exception));
            }
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        Log.RedisConnectionRestored(_logger, NodeId, e.ConnectionType.ToString(), e.EndPoint?.ToString());
        Wake();
    }

    /// <summary>
    /// The topology changed (a cluster failover or slot migration, a Sentinel switch): refresh presence now, so what a
    /// promoted replica missed is written back at once rather than at the next refresh.
    /// </summary>
    private void OnConfigurationChanged(object? sender, EndPointEventArgs e)
    {
        Log.RedisTopologyChanged(_logger, NodeId, e.EndPoint?.ToString());
        Wake();
    }

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (Exception ex) when (ex is SemaphoreFullException or ObjectDisposedException)
        {
            // Already woken, or shutting down.
        }
    }

    /// <summary>Awaits a Redis operation within a time limit, turning Redis failures into <see cref="OcppClusterUnavailableException"/>.</summary>
    private async Task<T> Guard<T>(Task<T> operation, string what, CancellationToken cancellationToken, TimeSpan? limit = null)
    {
        TimeSpan timeout = limit ?? _options.OperationTimeout;
        try
        {
            return await operation.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex) when (ex is not RedisTimeoutException)
        {
            Observe(operation);
            throw new OcppClusterUnavailableException($"Redis did not answer within {timeout.TotalMilliseconds:0} ms: cannot {what}.", ex);
        }
        catch (OperationCanceledException)
        {
            Observe(operation);
            throw;
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
        {
            NoteRedisFailure();
            throw new OcppClusterUnavailableException($"Redis is unavailable: cannot {what}. {ex.Message}", ex);
        }
    }

    private static void Observe(Task task) => _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private OcppClusterUnavailableException NotConnectedToRedis(string what) => new($"Redis is not connected: cannot {what}. Stations connected to node {NodeId} stay callable.");

    private string NextCorrelationId() => Interlocked.Increment(ref _nextCorrelationId).ToString(CultureInfo.InvariantCulture);

    /// <summary>What follows the generation in a presence value: <c>{connectedUnixMs}|{protocol}|{nodeId}</c>.</summary>
    private string PresenceSuffix(OcppConnection connection) =>
        connection.ConnectedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "|" + connection.Protocol + "|" + NodeId;

    /// <summary>Splits a presence value <c>{generation}|{connectedUnixMs}|{protocol}|{nodeId}</c>.</summary>
    private static bool TryParsePresence(string? value, out long generation, [NotNullWhen(true)] out string? nodeId) =>
        TryParsePresence(value, out generation, out _, out _, out nodeId);

    private static bool TryParsePresence(string? value, out long generation, out DateTimeOffset connectedSince, out string? protocol, [NotNullWhen(true)] out string? nodeId)
    {
        generation = 0;
        connectedSince = default;
        protocol = null;
        nodeId = null;
        if (value is null)
        {
            return false;
        }

        int first = value.IndexOf('|', StringComparison.Ordinal);
        int second = first < 0 ? -1 : value.IndexOf('|', first + 1);
        int third = second < 0 ? -1 : value.IndexOf('|', second + 1);
        if (third < 0
            || !long.TryParse(value.AsSpan(0, first), NumberStyles.None, CultureInfo.InvariantCulture, out generation)
            || !long.TryParse(value.AsSpan(first + 1, second - first - 1), NumberStyles.None, CultureInfo.InvariantCulture, out long ms))
        {
            generation = 0;
            return false;
        }

        connectedSince = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        protocol = third == second + 1 ? null : value[(second + 1)..third];
        nodeId = value[(third + 1)..];
        return true;
    }

    /// <summary>A connection of this node with its registration (null until announced).</summary>
    private sealed class LocalStation(OcppConnection connection, RedisKey key)
    {
        private volatile Registration? _registration;

        public OcppConnection Connection { get; } = connection;

        /// <summary>The station's presence key.</summary>
        public RedisKey Key { get; } = key;

        /// <summary>The presence value this connection owns, or null until announced.</summary>
        public string? Value => _registration?.Value;

        /// <summary>The generation of the registration, or 0 until announced.</summary>
        public long Generation => _registration?.Generation ?? 0;

        public int Evicted;

        public int Forgotten;

        /// <summary>False while the first announcement is in flight: hidden from <see cref="TryGetLocal"/>, but routed calls reach it.</summary>
        public volatile bool Visible;

        public void SetRegistration(long generation, string value)
        {
            if (_registration is not { } current || generation > current.Generation)
            {
                _registration = new Registration(generation, value);
            }
        }

        private sealed record Registration(long Generation, string Value);
    }
}

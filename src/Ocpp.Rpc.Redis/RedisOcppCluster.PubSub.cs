using Ocpp.Rpc.Clustering;
using System.Text.Json;
using System.Threading.Channels;
using Ocpp.Rpc.Redis.Internal;
using StackExchange.Redis;

namespace Ocpp.Rpc.Redis;

// Application events over Redis channels ({prefix}events:{channel}) and fire-and-forget broadcast calls ({prefix}broadcast).
public sealed partial class RedisOcppCluster
{
    /// <inheritdoc/>
    /// <exception cref="OcppClusterUnavailableException">Redis cannot be reached.</exception>
    public async Task PublishAsync(string channel, string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(message);
        IConnectionMultiplexer redis = await GetRedisAsync().ConfigureAwait(false);
        if (!redis.IsConnected)
        {
            throw NotConnectedToRedis($"publish on '{channel}'");
        }

        await Guard(redis.GetSubscriber().PublishAsync(EventChannel(channel), message), $"publish on '{channel}'", cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Messages of one subscription are handled one at a time, in order, from a bounded buffer
    /// (<see cref="RedisClusterOptions.SubscriberCapacity"/>, <see cref="RedisClusterOptions.SubscriberFullMode"/>).
    /// The subscription survives Redis outages; events published meanwhile are lost (Redis pub/sub is at most once).
    /// </remarks>
    /// <exception cref="OcppClusterUnavailableException">Redis cannot be reached.</exception>
    public async ValueTask<IAsyncDisposable> SubscribeAsync(string channel, Func<string, ValueTask> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(handler);
        IConnectionMultiplexer redis = await GetRedisAsync().ConfigureAwait(false);
        if (!redis.IsConnected)
        {
            throw NotConnectedToRedis($"subscribe to '{channel}'");
        }

        Task<ChannelMessageQueue> subscribing = redis.GetSubscriber().SubscribeAsync(EventChannel(channel));
        ChannelMessageQueue queue;
        try
        {
            queue = await Guard(subscribing, $"subscribe to '{channel}'", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OcppClusterUnavailableException or OperationCanceledException)
        {
            // Do not leave a half-made subscription behind.
            _ = subscribing.ContinueWith(static t => t.Result.UnsubscribeAsync(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }

        return new Subscription(this, channel, queue, handler);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Published once on the broadcast channel; every other node calls its local stations, and this node calls its own
    /// directly. Results and errors are logged, not returned.
    /// </remarks>
    /// <exception cref="OcppClusterUnavailableException">Redis cannot be reached (no station was called).</exception>
    public async Task BroadcastCallAsync(string action, OcppPayload payload = default, string? protocol = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        JsonElement element = ToElement(payload);
        IConnectionMultiplexer redis = await GetRedisAsync().ConfigureAwait(false);
        if (!redis.IsConnected)
        {
            throw NotConnectedToRedis($"broadcast {action}");
        }

        var message = new ClusterMessage { Type = ClusterMessageType.Broadcast, Node = NodeId, Action = action, Payload = element, Protocol = protocol };
        await Guard(redis.GetSubscriber().PublishAsync(Channels.Broadcast, Serialize(message)), $"broadcast {action}", cancellationToken).ConfigureAwait(false);
        CallLocalStations(action, element, protocol);
    }

    private void OnBroadcast(RedisChannel channel, RedisValue value)
    {
        if (Deserialize(channel, value) is { Type: ClusterMessageType.Broadcast, Action: { } action } message && message.Node != NodeId)
        {
            CallLocalStations(action, message.Payload ?? NullElement, message.Protocol);
        }
    }

    private void CallLocalStations(string action, JsonElement payload, string? protocol)
    {
        foreach (LocalStation station in _local.Values)
        {
            if (protocol is null || string.Equals(station.Connection.Protocol, protocol, StringComparison.Ordinal))
            {
                _ = CallQuietlyAsync(station.Connection, action, payload);
            }
        }
    }

    private async Task CallQuietlyAsync(OcppConnection connection, string action, JsonElement payload)
    {
        try
        {
            await connection.CallAsync(action, OcppPayload.FromElement(payload)).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Broadcast results are awaited by no one: log them.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.BroadcastCallFailed(_logger, ex, NodeId, action, connection.Identity);
        }
    }

    /// <summary>
    /// One application subscription: Redis' queue is drained at once into a bounded channel (the configured full mode
    /// drops events when the handler falls behind), and the handler reads that channel one event at a time, in order.
    /// </summary>
    private sealed class Subscription : IAsyncDisposable
    {
        private readonly RedisOcppCluster _cluster;
        private readonly string _channel;
        private readonly ChannelMessageQueue _queue;
        private readonly Channel<string> _buffer;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _pump;
        private readonly Task _dispatch;
        private int _disposed;

        public Subscription(RedisOcppCluster cluster, string channel, ChannelMessageQueue queue, Func<string, ValueTask> handler)
        {
            _cluster = cluster;
            _channel = channel;
            _queue = queue;
            var options = new BoundedChannelOptions(cluster._options.SubscriberCapacity)
            {
                FullMode = cluster._options.SubscriberFullMode,
                SingleReader = true,
                SingleWriter = true,
            };
            _buffer = Channel.CreateBounded<string>(options, _ => Log.EventDropped(cluster._logger, cluster.NodeId, channel, cluster._options.SubscriberCapacity));
            _pump = PumpAsync();
            _dispatch = DispatchAsync(handler);
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            try
            {
                await _queue.UnsubscribeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
            {
                // The local queue is completed either way; Redis drops the server-side subscription with the connection.
            }

            // Ends the pump even if Redis could not be told (the local queue may then stay open).
            await _stop.CancelAsync().ConfigureAwait(false);
            _buffer.Writer.TryComplete();
            await _pump.ConfigureAwait(false);
            await _dispatch.ConfigureAwait(false);
            _stop.Dispose();
        }

        private async Task PumpAsync()
        {
            try
            {
                while (true)
                {
                    ChannelMessage message = await _queue.ReadAsync(_stop.Token).ConfigureAwait(false);

                    // A full buffer drops per the full mode and logs through the channel's itemDropped callback.
                    _buffer.Writer.TryWrite(message.Message.ToString());
                }
            }
            catch (Exception ex) when (ex is ChannelClosedException or OperationCanceledException)
            {
                // Unsubscribed.
            }
            finally
            {
                _buffer.Writer.TryComplete();
            }
        }

        private async Task DispatchAsync(Func<string, ValueTask> handler)
        {
            await foreach (string message in _buffer.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                if (Volatile.Read(ref _disposed) != 0)
                {
                    return;
                }

                try
                {
                    await handler(message).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // One subscriber's failure must not stop its subscription.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Log.SubscriberFailed(_cluster._logger, ex, _cluster.NodeId, _channel);
                }
            }
        }
    }
}

using System.Text.Json;
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
    /// <remarks>Messages of one subscription are handled one at a time, in order. The subscription survives Redis outages.</remarks>
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

        queue.OnMessage(async message =>
        {
            try
            {
                await handler(message.Message.ToString()).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // One subscriber's failure must not stop its subscription.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.SubscriberFailed(_logger, ex, NodeId, channel);
            }
        });
        return new Subscription(queue);
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
        await Guard(redis.GetSubscriber().PublishAsync(_broadcastChannel, Serialize(message)), $"broadcast {action}", cancellationToken).ConfigureAwait(false);
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

    private RedisChannel EventChannel(string channel) => RedisChannel.Literal(_options.Prefix + "events:" + channel);

    private sealed class Subscription(ChannelMessageQueue queue) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            try
            {
                await queue.UnsubscribeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
            {
                // The local handler is gone either way; Redis drops the server-side subscription with the connection.
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ocpp.Rpc.Internal;

namespace Ocpp.Rpc.Clustering;

/// <summary>The single-node <see cref="IOcppCluster"/>: stations are those connected to this process.</summary>
public sealed class LocalOcppCluster : IOcppCluster
{
    private readonly ConcurrentDictionary<string, OcppConnection> _local = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ImmutableHandlers> _subscribers = new(StringComparer.Ordinal);
    private readonly ILogger _logger;

    /// <summary>Creates the cluster.</summary>
    /// <param name="loggerFactory">Where failures of broadcast calls and subscribers are logged.</param>
    public LocalOcppCluster(ILoggerFactory? loggerFactory = null)
    {
        _logger = loggerFactory?.CreateLogger("Ocpp.Rpc.Clustering") ?? NullLogger.Instance;
    }

    /// <inheritdoc/>
    public string NodeId { get; } = Environment.MachineName + "-" + Environment.ProcessId;

    /// <inheritdoc/>
    public IReadOnlyCollection<OcppConnection> LocalConnections => [.. _local.Values];

    /// <inheritdoc/>
    public ValueTask AddLocalAsync(OcppConnection connection, CancellationToken cancellationToken = default)
    {
        TryAddLocal(connection, replace: true, out _);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public bool TryAddLocal(OcppConnection connection, bool replace, out OcppConnection? replaced)
    {
        ArgumentNullException.ThrowIfNull(connection);
        string identity = connection.Identity is { Length: > 0 } id ? id : throw new ArgumentException("The connection has no identity.", nameof(connection));
        OcppConnection? previous = null;
        if (!replace)
        {
            replaced = null;
            return _local.TryAdd(identity, connection);
        }

        _local.AddOrUpdate(identity, connection, (_, old) =>
        {
            previous = old;
            return connection;
        });
        replaced = previous;
        return true;
    }

    /// <inheritdoc/>
    public ValueTask AnnounceLocalAsync(OcppConnection connection, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public ValueTask RemoveLocalAsync(OcppConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _local.TryRemove(new KeyValuePair<string, OcppConnection>(connection.Identity, connection));

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public bool TryGetLocal(string identity, [NotNullWhen(true)] out OcppConnection? connection) => _local.TryGetValue(identity, out connection);

    /// <inheritdoc/>
    public ValueTask<bool> IsConnectedAsync(string identity, CancellationToken cancellationToken = default) => ValueTask.FromResult(_local.ContainsKey(identity));

    /// <inheritdoc/>
    public Task<JsonElement> CallAsync(string identity, string action, OcppPayload payload = default, OcppCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return TryGetLocal(identity, out OcppConnection? connection)
            ? connection.CallAsync(action, payload, options, cancellationToken)
            : Task.FromException<JsonElement>(new OcppStationNotConnectedException(identity));
    }

    /// <inheritdoc/>
    public IOcppStation GetStation(string identity) => new OcppClusterStation(this, identity);

    /// <inheritdoc/>
    public Task SendAsync(string identity, string action, OcppPayload payload = default, OcppCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return TryGetLocal(identity, out OcppConnection? connection)
            ? connection.SendAsync(action, payload, options, cancellationToken)
            : Task.FromException(new OcppStationNotConnectedException(identity));
    }

    /// <inheritdoc/>
    public ValueTask<OcppStationInfo?> FindStationAsync(string identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return ValueTask.FromResult(TryGetLocal(identity, out OcppConnection? connection) ? InfoOf(connection) : null);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<OcppStationInfo> ListStationsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (OcppConnection connection in _local.Values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return InfoOf(connection);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private OcppStationInfo InfoOf(OcppConnection connection) => new(connection.Identity, connection.Protocol, NodeId, connection.ConnectedAt);

    /// <inheritdoc/>
    public async Task PublishAsync(string channel, string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (_subscribers.TryGetValue(channel, out ImmutableHandlers? handlers))
        {
            foreach (Func<string, ValueTask> handler in handlers.Items)
            {
                try
                {
                    await handler(message).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // One subscriber's failure must not stop the others.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Log.SubscriberFailed(_logger, ex, channel);
                }
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<IAsyncDisposable> SubscribeAsync(string channel, Func<string, ValueTask> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(handler);
        _subscribers.AddOrUpdate(channel, _ => new([handler]), (_, current) => new([.. current.Items, handler]));
        IAsyncDisposable subscription = new Subscription(() => _subscribers.AddOrUpdate(channel, _ => new([]), (_, current) => new([.. current.Items.Where(h => h != handler)])));
        return ValueTask.FromResult(subscription);
    }

    /// <inheritdoc/>
    public Task BroadcastCallAsync(string action, OcppPayload payload = default, string? protocol = null, CancellationToken cancellationToken = default)
    {
        foreach (OcppConnection connection in _local.Values)
        {
            if (protocol is null || connection.Protocol == protocol)
            {
                _ = CallQuietlyAsync(connection, action, payload);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _local.Clear();
        _subscribers.Clear();
        return ValueTask.CompletedTask;
    }

    private async Task CallQuietlyAsync(OcppConnection connection, string action, OcppPayload payload)
    {
        try
        {
            await connection.CallAsync(action, payload).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Broadcast results are not awaited by anyone: log them.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.BroadcastCallFailed(_logger, ex, action, connection.Identity);
        }
    }

    private sealed record ImmutableHandlers(Func<string, ValueTask>[] Items);

    private sealed class Subscription(Action unsubscribe) : IAsyncDisposable
    {
        private int _disposed;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                unsubscribe();
            }

            return ValueTask.CompletedTask;
        }
    }
}

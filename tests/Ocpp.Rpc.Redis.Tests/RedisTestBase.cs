using Ocpp.Rpc.Clustering;
using Ocpp.Rpc.Clustering.Specs;
using StackExchange.Redis;
using ClusterNode = Ocpp.Rpc.Clustering.Specs.ClusterNode;

namespace Ocpp.Rpc.Redis.Tests;

/// <summary>Starts nodes and stations for Redis-specific tests and disposes them in reverse order.</summary>
public abstract class RedisTestBase : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    /// <summary>A fresh key and channel prefix per test.</summary>
    protected string Prefix { get; } = $"t{Guid.NewGuid():N}:";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }
    }

    protected T Own<T>(T disposable)
        where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    protected async Task<ClusterNode> StartNodeAsync(RedisClusterOptions options) =>
        Own(await ClusterNode.StartAsync(await RedisOcppCluster.ConnectAsync(options)));

    protected async Task<Station> ConnectAsync(ClusterNode node, string identity, Action<OcppConnection>? handlers = null, string protocol = OcppProtocols.Ocpp16)
    {
        Station station = Own(await Station.ConnectAsync(node, identity, handlers, protocol));
        await Eventually.TrueAsync(() => ValueTask.FromResult(node.Cluster.TryGetLocal(identity, out OcppConnection? c) && c.State == OcppConnectionState.Open), $"{identity} is registered");
        return station;
    }

    /// <summary>Waits until <paramref name="observer"/> sees the station (presence propagated through Redis).</summary>
    protected static Task SeesAsync(ClusterNode observer, string identity, int timeoutMs = 5000) =>
        Eventually.TrueAsync(async () => await SafeIsConnectedAsync(observer.Cluster, identity), $"node {observer.Cluster.NodeId} sees {identity}", timeoutMs);

    protected static async ValueTask<bool> SafeIsConnectedAsync(IOcppCluster cluster, string identity)
    {
        try
        {
            return await cluster.IsConnectedAsync(identity);
        }
        catch (OcppClusterUnavailableException)
        {
            return false;
        }
    }

    protected async Task<IDatabase> RawAsync(string configuration)
    {
        ConnectionMultiplexer mux = Own(await ConnectionMultiplexer.ConnectAsync(configuration));
        return mux.GetDatabase();
    }

    protected static ValueTask<OcppReply> Reply(string json) => new(OcppPayload.FromJson(json));

    /// <summary>How often the server has run <paramref name="command"/> (lower case), from <c>INFO commandstats</c>.</summary>
    protected static async Task<long> CommandCallsAsync(IDatabase raw, string command)
    {
        string info = (string)(await raw.ExecuteAsync("INFO", "commandstats"))!;
        System.Text.RegularExpressions.Match match = System.Text.RegularExpressions.Regex.Match(info, $@"cmdstat_{command}:calls=(\d+)");
        return match.Success ? long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }
}

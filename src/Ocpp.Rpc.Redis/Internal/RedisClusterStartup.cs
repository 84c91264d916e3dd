using Microsoft.Extensions.Hosting;

namespace Ocpp.Rpc.Redis.Internal;

/// <summary>Connects the cluster node when the host starts, so a bad configuration fails start-up instead of the first call.</summary>
internal sealed class RedisClusterStartup(RedisOcppCluster cluster) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => cluster.Started.WaitAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using System.Net;
using Ocpp.Rpc.Clustering;
using Ocpp.Rpc.Clustering.Specs;

namespace Ocpp.Rpc.Redis.Tests;

/// <summary>
/// The shared cluster spec suite against nodes with direct node links (<see cref="RedisClusterOptions.NodeLinks"/>,
/// encrypted): whatever the link changes about a routed call, every behaviour the suite pins stays as it is through Redis.
/// </summary>
public sealed class RedisNodeLinkClusterTests(RedisServerFixture redis) : OcppMultiNodeClusterSpec, IClassFixture<RedisServerFixture>
{
    private readonly string _prefix = $"t{Guid.NewGuid():N}:";

    protected override async Task<IOcppCluster> CreateClusterAsync() =>
        await RedisOcppCluster.ConnectAsync(TestOptions.Fast(redis.Server.Configuration, _prefix) with
        {
            NodeLinks = new RedisNodeLinkOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), SharedKey = "spec-suite-link-key-0123456789", RetryDelay = TimeSpan.Zero, Encrypt = true },
        });
}

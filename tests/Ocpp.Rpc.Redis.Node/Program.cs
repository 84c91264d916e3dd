using System.Net;
using Ocpp.Rpc.Clustering.Specs;
using Ocpp.Rpc.Redis;
using StackExchange.Redis;
using ClusterNode = Ocpp.Rpc.Clustering.Specs.ClusterNode;

// A cluster node for crash tests: a RedisOcppCluster with node links on loopback and a Kestrel node accepting stations
// at /ocpp/{identity}. Prints "ready {station endpoint} {link address}" and runs until killed.
//   Ocpp.Rpc.Redis.Node --redis HOST:PORT --prefix P --node-id ID --link-key KEY
string Arg(string name) => args.SkipWhile(a => a != "--" + name).Skip(1).FirstOrDefault() ?? throw new ArgumentException($"--{name} is required");

ConfigurationOptions redis = ConfigurationOptions.Parse(Arg("redis"));
redis.AbortOnConnectFail = false;
RedisOcppCluster cluster = await RedisOcppCluster.ConnectAsync(RedisClusterOptions.Default with
{
    ConfigurationOptions = redis,
    Prefix = Arg("prefix"),
    NodeId = Arg("node-id"),

    // The intervals of the in-process test nodes (TestOptions.Fast), so both kinds of node agree on timing.
    PresenceTtl = TimeSpan.FromSeconds(3),
    PresenceRefreshInterval = TimeSpan.FromSeconds(1),
    NodeHeartbeatTtl = TimeSpan.FromSeconds(1.5),
    HeartbeatInterval = TimeSpan.FromMilliseconds(400),
    OperationTimeout = TimeSpan.FromSeconds(2),
    NodeLinks = new RedisNodeLinkOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), SharedKey = Arg("link-key") },
});
ClusterNode node = await ClusterNode.StartAsync(cluster);
Console.WriteLine($"ready {node.Endpoint} {cluster.NodeLinkAddress}");
await Task.Delay(Timeout.Infinite);

using Ocpp.Rpc.Clustering;
using Ocpp.Rpc.Clustering.Specs;

namespace Ocpp.Rpc.Tests;

/// <summary>The shared cluster spec suite against the single-node implementation (real Kestrel and WebSockets).</summary>
public class LocalClusterTests : OcppClusterSpec
{
    protected override Task<IOcppCluster> CreateClusterAsync() => Task.FromResult<IOcppCluster>(new LocalOcppCluster());
}

using Microsoft.Extensions.Diagnostics.HealthChecks;
using Ocpp.Rpc.Clustering;

namespace Ocpp.Rpc.AspNetCore.Hosting;

// Healthy while the server accepts stations with room to spare. Degraded (still serving its stations) near or at
// MaxConnections, where new stations get 503, or when the cluster's backplane (Redis) is unreachable, where calls to
// other nodes' stations fail. Unhealthy when no station can connect: not mapped, not listening, or shutting down.
internal sealed class OcppServerHealthCheck(OcppServer server, OcppEndpointMapping? mapping) : IHealthCheck
{
    // Degraded from this share of MaxConnections: time to add a node before stations are refused.
    private const double NearLimit = 0.9;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        int connections = server.ConnectionCount;
        int limit = server.Options.MaxConnections;
        var data = new Dictionary<string, object>
        {
            ["connections"] = connections,
            ["maxConnections"] = limit,
            ["node"] = server.Cluster.NodeId,
        };

        if (server.IsStopping || !(server.IsListening || mapping is { Mapped: true }))
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The OCPP server accepts no stations (not mapped with MapOcpp, not listening, or stopping).", data: data));
        }

        var problems = new List<string>();
        if (server.Cluster is IOcppClusterHealth backplane)
        {
            data["backplane"] = backplane.BackplaneName;
            data["backplaneConnected"] = backplane.IsBackplaneConnected;
            if (!backplane.IsBackplaneConnected)
            {
                problems.Add($"{backplane.BackplaneName} is unreachable: local stations are served, calls to other nodes' stations fail");
            }
        }

        if (connections >= limit)
        {
            problems.Add($"{connections} stations connected, the MaxConnections limit: new stations get 503");
        }
        else if (connections >= limit * NearLimit)
        {
            problems.Add($"{connections} of at most {limit} stations connected");
        }

        return Task.FromResult(problems.Count == 0
            ? HealthCheckResult.Healthy($"{connections} of at most {limit} stations connected.", data)
            : HealthCheckResult.Degraded(string.Join("; ", problems) + ".", data: data));
    }
}

using Ocpp.Rpc;
using Ocpp.Rpc.AspNetCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Ocpp.Rpc.AspNetCore.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Health checks for the <see cref="OcppServer"/> registered by <c>AddOcppServer</c> (map them with <c>app.MapHealthChecks("/health")</c>).</summary>
public static class OcppHealthCheckExtensions
{
    /// <summary>
    /// Adds the server's health check: Unhealthy when it accepts no stations (not mapped, not listening, stopping);
    /// Degraded at 90 % of <see cref="OcppServerOptions.MaxConnections"/> and beyond, or when the cluster's backplane
    /// (Redis) is unreachable; otherwise Healthy. The report's data has <c>connections</c>, <c>maxConnections</c>,
    /// <c>node</c> and, with a backplane, <c>backplane</c> and <c>backplaneConnected</c>.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddOcppServer</c>.</param>
    /// <param name="name">The check's name in reports.</param>
    /// <param name="tags">Tags to filter checks by (e.g. <c>ready</c>).</param>
    /// <returns>The same builder.</returns>
    public static IOcppServerBuilder AddHealthChecks(this IOcppServerBuilder builder, string name = "ocpp", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHealthChecks().AddOcpp(name, tags);
        return builder;
    }

    /// <summary>Adds the server's health check to a health checks builder (see <see cref="AddHealthChecks(IOcppServerBuilder, string, IEnumerable{string}?)"/>).</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name in reports.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <returns>The same builder.</returns>
    public static IHealthChecksBuilder AddOcpp(this IHealthChecksBuilder builder, string name = "ocpp", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(name, provider => new OcppServerHealthCheck(provider.GetRequiredService<OcppServer>(), provider.GetService<OcppEndpointMapping>()), HealthStatus.Unhealthy, tags));
    }
}

using Microsoft.Extensions.DependencyInjection;

namespace Ocpp.Rpc.AspNetCore;

/// <summary>
/// Returned by <c>AddOcppServer</c>: chain options (<c>Configure</c>), handler classes (<c>AddHandler</c>), filters,
/// observers, health checks and optional packages (e.g. <c>AddRedisClustering</c>) onto it.
/// </summary>
public interface IOcppServerBuilder
{
    /// <summary>The service collection the server was added to.</summary>
    IServiceCollection Services { get; }
}

internal sealed class OcppServerBuilder(IServiceCollection services) : IOcppServerBuilder
{
    public IServiceCollection Services { get; } = services;
}

using Microsoft.Extensions.DependencyInjection;

namespace Ocpp.Rpc.AspNetCore;

/// <summary>Returned by <c>AddOcppServer</c> so optional packages can chain their registrations (e.g. clustering).</summary>
public interface IOcppServerBuilder
{
    /// <summary>The service collection the server was added to.</summary>
    IServiceCollection Services { get; }
}

internal sealed class OcppServerBuilder(IServiceCollection services) : IOcppServerBuilder
{
    public IServiceCollection Services { get; } = services;
}

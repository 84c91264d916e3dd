using Microsoft.Extensions.DependencyInjection;

namespace Ocpp.Rpc.AspNetCore.Hosting;

internal sealed class OcppServerBuilder(IServiceCollection services) : IOcppServerBuilder
{
    public IServiceCollection Services { get; } = services;
}

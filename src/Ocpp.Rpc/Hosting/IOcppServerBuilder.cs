// In the ecosystem's namespace (as IHealthChecksBuilder is), and in the core package so that optional packages (Redis
// clustering) chain onto AddOcppServer() without depending on ASP.NET Core.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Returned by <c>AddOcppServer</c>: chain options (<c>Configure</c>), handler classes (<c>AddHandler</c>), filters,
/// observers, health checks and optional packages (e.g. <c>AddRedisClustering</c>) onto it.
/// </summary>
public interface IOcppServerBuilder
{
    /// <summary>The service collection the server was added to.</summary>
    IServiceCollection Services { get; }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ocpp.Rpc.AspNetCore;

/// <summary>Registers an <see cref="OcppServer"/> in an ASP.NET Core application.</summary>
public static class OcppServiceCollectionExtensions
{
    /// <summary>
    /// Adds a singleton <see cref="OcppServer"/> (stopped gracefully when the host stops). The options start from
    /// <see cref="OcppServerOptions.Default"/>; the host's <see cref="ILoggerFactory"/> is used when the connection
    /// options set none. Map it with <c>app.MapOcpp("/ocpp")</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Derives the options, e.g. <c>o =&gt; o with { SecurityProfile = ... }</c>.</param>
    /// <returns>A builder for optional packages to chain on.</returns>
    public static IOcppServerBuilder AddOcppServer(this IServiceCollection services, Func<OcppServerOptions, OcppServerOptions>? configure = null) =>
        services.AddOcppServer((_, options) => configure is null ? options : configure(options));

    /// <summary>Adds a singleton <see cref="OcppServer"/> whose options may use other services (e.g. a password store).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Derives the options from the defaults and the service provider.</param>
    /// <returns>A builder for optional packages to chain on.</returns>
    public static IOcppServerBuilder AddOcppServer(this IServiceCollection services, Func<IServiceProvider, OcppServerOptions, OcppServerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.TryAddSingleton(provider =>
        {
            OcppServerOptions options = configure(provider, OcppServerOptions.Default);
            if (options.Connection.LoggerFactory is null && provider.GetService<ILoggerFactory>() is { } loggerFactory)
            {
                options = options with { Connection = options.Connection with { LoggerFactory = loggerFactory } };
            }

            // A cluster registered by an optional package (e.g. AddRedisClustering) makes this node part of a CSMS.
            return new OcppServer(options, provider.GetService<Ocpp.Rpc.Clustering.IOcppCluster>());
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OcppServerHostedService>());
        return new OcppServerBuilder(services);
    }
}

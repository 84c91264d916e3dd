using Ocpp.Rpc;
using Ocpp.Rpc.Redis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ocpp.Rpc.Clustering;
using Ocpp.Rpc.Redis.Internal;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="RedisOcppCluster"/> as the application's <see cref="IOcppCluster"/>.</summary>
public static class RedisClusteringServiceCollectionExtensions
{
    /// <summary>
    /// Makes this process one node of a Redis-backed cluster: registers <see cref="RedisOcppCluster"/> as the
    /// singleton <see cref="IOcppCluster"/> (replacing any other) and a hosted service that connects it when the host
    /// starts. Without a configuration in the options, an <see cref="IConnectionMultiplexer"/> registered in the
    /// container is used. The container disposes the node, which removes its presence from Redis.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Changes the defaults, e.g. <c>o =&gt; o with { Configuration = "redis:6379" }</c>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddOcppRedisClustering(this IServiceCollection services, Func<RedisClusterOptions, RedisClusterOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddCore(_ => configure(RedisClusterOptions.Default));
    }

    /// <summary>Registers the Redis cluster with a configuration string, e.g. <c>localhost:6379</c>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The StackExchange.Redis configuration string.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddOcppRedisClustering(this IServiceCollection services, string configuration)
    {
        ArgumentException.ThrowIfNullOrEmpty(configuration);
        return services.AddOcppRedisClustering(o => o with { Configuration = configuration });
    }

    /// <summary>Registers the Redis cluster with complete options.</summary>
    /// <param name="services">The services.</param>
    /// <param name="options">The options.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddOcppRedisClustering(this IServiceCollection services, RedisClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        return services.AddCore(_ => options);
    }

    private static IServiceCollection AddCore(this IServiceCollection services, Func<IServiceProvider, RedisClusterOptions> options)
    {
        services.TryAddSingleton(provider =>
        {
            RedisClusterOptions built = options(provider);
            if (built.ConnectionMultiplexer is null && built.ConfigurationOptions is null && string.IsNullOrWhiteSpace(built.Configuration)
                && provider.GetService<IConnectionMultiplexer>() is { } shared)
            {
                built = built with { ConnectionMultiplexer = shared };
            }

            return RedisOcppCluster.Create(built, provider.GetService<ILoggerFactory>());
        });
        services.RemoveAll<IOcppCluster>();
        services.AddSingleton<IOcppCluster>(provider => provider.GetRequiredService<RedisOcppCluster>());
        services.AddHostedService<RedisClusterStartup>();
        return services;
    }
}

using Ocpp.Rpc;
using Ocpp.Rpc.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chains Redis clustering onto <c>services.AddOcppServer(...)</c>.</summary>
public static class RedisClusteringServerBuilderExtensions
{
    /// <summary>
    /// Makes this server a node of a Redis-backed cluster: its stations are announced in Redis and
    /// <c>server.GetStation(identity)</c> reaches stations held by any node. <see cref="IOcppServerBuilder"/> is in the
    /// core package, so this package does not depend on ASP.NET Core. Same as <see cref="RedisClusteringServiceCollectionExtensions.AddOcppRedisClustering(Microsoft.Extensions.DependencyInjection.IServiceCollection, Func{RedisClusterOptions, RedisClusterOptions})"/>.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddOcppServer</c>.</param>
    /// <param name="configure">Sets the options, e.g. <c>o =&gt; o with { Configuration = "redis:6379" }</c>.</param>
    /// <returns>The same builder.</returns>
    public static IOcppServerBuilder AddRedisClustering(this IOcppServerBuilder builder, Func<RedisClusterOptions, RedisClusterOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOcppRedisClustering(configure);
        return builder;
    }

    /// <summary>Makes this server a node of a Redis-backed cluster, given a StackExchange.Redis configuration string.</summary>
    /// <param name="builder">The builder returned by <c>AddOcppServer</c>.</param>
    /// <param name="configuration">E.g. <c>redis:6379,password=…</c>.</param>
    /// <returns>The same builder.</returns>
    public static IOcppServerBuilder AddRedisClustering(this IOcppServerBuilder builder, string configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOcppRedisClustering(configuration);
        return builder;
    }
}

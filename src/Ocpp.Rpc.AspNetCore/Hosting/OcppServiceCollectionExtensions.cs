using Ocpp.Rpc;
using Ocpp.Rpc.AspNetCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Ocpp.Rpc.AspNetCore.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers an <see cref="OcppServer"/> in an ASP.NET Core application.</summary>
public static class OcppServiceCollectionExtensions
{
    /// <summary>
    /// Adds a singleton <see cref="OcppServer"/>, created and validated when the host starts (a bad option stops the
    /// start with a message naming it) and stopped gracefully when the host stops. Its options are an
    /// <see cref="IOptions{TOptions}"/> of <see cref="OcppServerOptions"/>, starting from <see cref="OcppServerOptions.Default"/>,
    /// then every configuration step in the order registered. Calling it again configures the same server. Map it
    /// with <c>app.MapOcpp("/ocpp")</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Derives the options, e.g. <c>o =&gt; o with { SecurityProfile = ... }</c>.</param>
    /// <returns>A builder to add handlers, filters, health checks and clustering to.</returns>
    public static IOcppServerBuilder AddOcppServer(this IServiceCollection services, Func<OcppServerOptions, OcppServerOptions>? configure = null)
    {
        IOcppServerBuilder builder = services.AddOcppServerCore();
        return configure is null ? builder : builder.Configure(configure);
    }

    /// <summary>Adds the <see cref="OcppServer"/> (see <see cref="AddOcppServer(IServiceCollection, Func{OcppServerOptions, OcppServerOptions}?)"/>) with options that may use other services.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Derives the options from the current ones and the service provider.</param>
    /// <returns>A builder to add handlers, filters, health checks and clustering to.</returns>
    public static IOcppServerBuilder AddOcppServer(this IServiceCollection services, Func<IServiceProvider, OcppServerOptions, OcppServerOptions> configure) =>
        services.AddOcppServerCore().Configure(configure);

    /// <summary>
    /// Adds the <see cref="OcppServer"/> (see <see cref="AddOcppServer(IServiceCollection, Func{OcppServerOptions, OcppServerOptions}?)"/>)
    /// with its plain settings bound from a configuration section, e.g. <c>builder.Configuration.GetSection("Ocpp")</c>:
    /// <c>Protocols</c> (an array, or one comma-separated value; it replaces the default list), the timeouts
    /// (<c>"00:00:30"</c>, or <c>"Infinite"</c> where allowed), limits, <c>SecurityProfile</c> (0-3 or its name),
    /// keep-alive, compression, <c>Connection</c> (the <see cref="OcppConnectionOptions"/> settings) and <c>Tls</c>
    /// (<c>Certificate</c> with the keys of Kestrel's Certificates section: <c>Path</c>, <c>KeyPath</c>, <c>Password</c>,
    /// or <c>Subject</c>, <c>Store</c>, <c>Location</c>, <c>AllowInvalid</c>; <c>SslProtocols</c>, <c>CipherSuites</c>,
    /// <c>ClientCertificateAuthorities</c> as PEM files, <c>ClientCertificateRevocationMode</c>). A key that is not a
    /// setting, or a value that does not parse, stops the host's start with a message naming the key. Callbacks
    /// (<see cref="OcppServerOptions.Authenticate"/>) are set in code with <see cref="OcppServerBuilderExtensions.Configure(IOcppServerBuilder, Func{OcppServerOptions, OcppServerOptions})"/>.
    /// The server reads its options once, when it is created: later changes to the configuration do not reach it.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section to bind, e.g. <c>Ocpp</c> in appsettings.json.</param>
    /// <returns>A builder to add handlers, filters, health checks and clustering to.</returns>
    public static IOcppServerBuilder AddOcppServer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        IOcppServerBuilder builder = services.AddOcppServerCore();
        services.AddSingleton(OcppServerOptionsStep.FromConfiguration(configuration));
        services.AddSingleton<IOptionsChangeTokenSource<OcppServerOptions>>(new ConfigurationChangeTokenSource<OcppServerOptions>(Microsoft.Extensions.Options.Options.DefaultName, configuration));
        return builder;
    }

    private static IOcppServerBuilder AddOcppServerCore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(OcppServerMarker)))
        {
            services.AddSingleton<OcppServerMarker>();
            services.AddSingleton<OcppEndpointMapping>();
            services.AddOptions<OcppServerOptions>().ValidateOnStart();
            services.AddSingleton<IOptionsFactory<OcppServerOptions>, OcppServerOptionsFactory>();
            services.AddSingleton(OcppServerFactory.Create);
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OcppServerHostedService>());
        }

        return new OcppServerBuilder(services);
    }

    // Marks a collection that has the server registered, so a second AddOcppServer only adds its configuration.
    private sealed class OcppServerMarker;
}

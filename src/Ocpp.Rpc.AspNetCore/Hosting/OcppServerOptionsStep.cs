using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ocpp.Rpc.AspNetCore.Configuration;

namespace Ocpp.Rpc.AspNetCore.Hosting;

// One configuration step of the server's options (a configuration section or a code delegate), applied in the order
// registered. Steps derive new records; none mutates the options it is given or anything they share.
internal sealed class OcppServerOptionsStep
{
    private readonly Func<IServiceProvider, OcppServerOptions, List<string>, OcppServerOptions> _apply;

    private OcppServerOptionsStep(Func<IServiceProvider, OcppServerOptions, List<string>, OcppServerOptions> apply, string? sectionPath)
    {
        _apply = apply;
        SectionPath = sectionPath;
    }

    // The configuration path the step binds (e.g. "Ocpp"), used to name keys in validation failures.
    public string? SectionPath { get; }

    public static OcppServerOptionsStep FromConfiguration(IConfiguration configuration) =>
        new((provider, options, errors) => OcppServerOptionsBinder.Bind(configuration, options, errors, provider.GetService<IHostEnvironment>()?.ContentRootPath), configuration is IConfigurationSection s ? s.Path : string.Empty);

    public static OcppServerOptionsStep FromCode(Func<IServiceProvider, OcppServerOptions, OcppServerOptions> configure) =>
        new((provider, options, _) => configure(provider, options) ?? throw new InvalidOperationException("An OcppServerOptions configure delegate returned null."), null);

    public OcppServerOptions Apply(IServiceProvider provider, OcppServerOptions options, List<string> errors) => _apply(provider, options, errors);
}

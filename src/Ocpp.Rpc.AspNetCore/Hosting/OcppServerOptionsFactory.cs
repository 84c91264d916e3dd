using Microsoft.Extensions.Options;
using Ocpp.Rpc.AspNetCore.Configuration;

namespace Ocpp.Rpc.AspNetCore.Hosting;

// IOptions<OcppServerOptions> for an immutable record: the default factory would create the record and mutate it, so
// this one folds the registered steps over OcppServerOptions.Default instead, then validates the result (the library's
// rules with the configuration key of each failure, then any IValidateOptions the application registered).
internal sealed class OcppServerOptionsFactory(
    IServiceProvider provider,
    IEnumerable<OcppServerOptionsStep> steps,
    IEnumerable<IValidateOptions<OcppServerOptions>> validators) : IOptionsFactory<OcppServerOptions>
{
    public OcppServerOptions Create(string name)
    {
        var failures = new List<string>();
        OcppServerOptions options = OcppServerOptions.Default;
        string? section = null;
        foreach (OcppServerOptionsStep step in steps)
        {
            options = step.Apply(provider, options, failures);
            section = step.SectionPath ?? section;
        }

        if (failures.Count == 0)
        {
            failures.AddRange(OcppServerOptionsValidator.Validate(options, section is { Length: > 0 } path ? path + ":" : "OcppServerOptions."));
        }

        foreach (IValidateOptions<OcppServerOptions> validator in validators)
        {
            if (validator.Validate(name, options) is { Failed: true } result)
            {
                failures.AddRange(result.Failures ?? [result.FailureMessage]);
            }
        }

        return failures.Count == 0 ? options : throw new OptionsValidationException(name, typeof(OcppServerOptions), failures);
    }
}

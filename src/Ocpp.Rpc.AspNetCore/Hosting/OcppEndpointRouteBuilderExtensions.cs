using Ocpp.Rpc;
using Ocpp.Rpc.AspNetCore;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the OCPP endpoint of the <see cref="OcppServer"/> registered by <c>AddOcppServer</c>.</summary>
public static class OcppEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>{pattern}/{identity}</c> to the OCPP handshake: stations connect to <c>wss://host/ocpp/CP001</c> for
    /// <c>MapOcpp("/ocpp")</c>. The WebSockets middleware is added to the endpoint's own pipeline, so
    /// <c>app.UseWebSockets()</c> is optional. TLS and the handshake timeout belong to the host's Kestrel setup:
    /// use <see cref="OcppTlsOptions.ApplyTo"/> in <c>ConfigureHttpsDefaults</c> and set
    /// <c>Limits.RequestHeadersTimeout</c> to bound silent clients.
    /// </summary>
    /// <param name="endpoints">The application.</param>
    /// <param name="pattern">The endpoint path, e.g. <c>/ocpp</c> (without the identity segment).</param>
    /// <returns>The endpoint, to add conventions (e.g. host filters).</returns>
    /// <exception cref="InvalidOperationException"><c>AddOcppServer</c> was not called.</exception>
    public static IEndpointConventionBuilder MapOcpp(this IEndpointRouteBuilder endpoints, string pattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        // The server itself is made (and its options validated) when the host starts, not here.
        Ocpp.Rpc.AspNetCore.Hosting.OcppEndpointMapping mapping = endpoints.ServiceProvider.GetService<Ocpp.Rpc.AspNetCore.Hosting.OcppEndpointMapping>()
            ?? throw new InvalidOperationException("Call services.AddOcppServer(...) before app.MapOcpp(...).");
        mapping.Mapped = true;
        IApplicationBuilder branch = endpoints.CreateApplicationBuilder();
        branch.UseWebSockets();
        OcppServer? server = null;
        branch.Run(context => (server ??= context.RequestServices.GetRequiredService<OcppServer>()).HandleRequestAsync(context));
        return endpoints.Map(pattern.TrimEnd('/') + "/{ocppIdentity}", branch.Build()).WithDisplayName("OCPP " + pattern);
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ocpp.Rpc.Clustering;

namespace Ocpp.Rpc.AspNetCore.Hosting;

// Builds the DI-hosted server: its validated options, the host's logging and service provider, the filters (inbound and
// outbound) and message observers registered in DI (after those set in code), a cluster registered by an optional
// package, and the handler classes registered with AddHandler.
internal static class OcppServerFactory
{
    public static OcppServer Create(IServiceProvider provider)
    {
        OcppServerOptions options = provider.GetRequiredService<IOptions<OcppServerOptions>>().Value;
        OcppConnectionOptions connection = options.Connection;
        IOcppCallFilter[] filters = [.. provider.GetServices<OcppServiceRegistration<IOcppCallFilter>>().Select(r => r.Resolve(provider))];
        IOcppOutboundCallFilter[] outbound = [.. provider.GetServices<OcppServiceRegistration<IOcppOutboundCallFilter>>().Select(r => r.Resolve(provider))];
        IOcppMessageObserver[] observers = [.. provider.GetServices<OcppServiceRegistration<IOcppMessageObserver>>().Select(r => r.Resolve(provider))];
        options = options with
        {
            Connection = connection with
            {
                LoggerFactory = connection.LoggerFactory ?? provider.GetService<ILoggerFactory>(),
                Services = connection.Services ?? provider,
                CallFilters = filters.Length == 0 ? connection.CallFilters : [.. connection.CallFilters, .. filters],
                OutboundCallFilters = outbound.Length == 0 ? connection.OutboundCallFilters : [.. connection.OutboundCallFilters, .. outbound],
                MessageObservers = observers.Length == 0 ? connection.MessageObservers : [.. connection.MessageObservers, .. observers],
            },
        };

        var server = new OcppServer(options, provider.GetService<IOcppCluster>());
        var seen = new Dictionary<(string? Protocol, string Action), OcppHandlerBinding>();
        foreach (OcppHandlerBinding binding in provider.GetServices<OcppHandlerBinding>())
        {
            if (seen.TryGetValue((binding.Protocol, binding.Action), out OcppHandlerBinding? first))
            {
                throw new InvalidOperationException($"{binding.Action} ({binding.Protocol ?? "every protocol"}) has two handler classes: {first.HandlerType.Name} and {binding.HandlerType.Name}.");
            }

            seen.Add((binding.Protocol, binding.Action), binding);
            server.Register(binding.Protocol, binding.Action, binding.Handler);
        }

        return server;
    }
}

// A filter or observer registered in DI: a type resolved from the root provider, or an instance.
internal sealed class OcppServiceRegistration<T>(Func<IServiceProvider, T> resolve)
    where T : class
{
    public T Resolve(IServiceProvider provider) => resolve(provider);
}

using System.Runtime.CompilerServices;

namespace Ocpp.Rpc.Filters;

// What a connection runs around its messages: the compiled inbound and outbound filter pipelines and the message
// observers. Built once per options instance and shared by every connection made with it (kept beside the options,
// not in them, so record equality and `with` copies are unaffected); null when there is nothing, so a plain
// connection pays one null check per message.
internal sealed class ConnectionHooks
{
    private static readonly ConditionalWeakTable<OcppConnectionOptions, ConnectionHooks> Shared = new();

    private ConnectionHooks(CallPipeline? pipeline, OutboundCallPipeline? outbound, IOcppMessageObserver[]? observers)
    {
        Pipeline = pipeline;
        Outbound = outbound;
        Observers = observers;
    }

    public CallPipeline? Pipeline { get; }

    public OutboundCallPipeline? Outbound { get; }

    public IOcppMessageObserver[]? Observers { get; }

    public static ConnectionHooks? For(OcppConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.CallFilters, nameof(options));
        ArgumentNullException.ThrowIfNull(options.OutboundCallFilters, nameof(options));
        ArgumentNullException.ThrowIfNull(options.MessageObservers, nameof(options));
        if (options.CallFilters.Count == 0 && options.OutboundCallFilters.Count == 0 && options.MessageObservers.Count == 0)
        {
            return null;
        }

        return Shared.GetValue(options, static o => Create(o));
    }

    // A copy with one more filter of this connection's own, after the others.
    public static ConnectionHooks With(ConnectionHooks? hooks, IOcppCallFilter? inbound, IOcppOutboundCallFilter? outbound) => new(
        inbound is null ? hooks?.Pipeline : CallPipeline.Create(hooks?.Pipeline?.Filters, [inbound]),
        outbound is null ? hooks?.Outbound : OutboundCallPipeline.Create(hooks?.Outbound?.Filters, [outbound]),
        hooks?.Observers);

    private static ConnectionHooks Create(OcppConnectionOptions options)
    {
        IOcppMessageObserver[] all = [.. options.MessageObservers];
        foreach (IOcppMessageObserver observer in all)
        {
            ArgumentNullException.ThrowIfNull(observer, nameof(OcppConnectionOptions.MessageObservers));
        }

        return new ConnectionHooks(
            CallPipeline.Create(options.CallFilters, null),
            OutboundCallPipeline.Create(options.OutboundCallFilters, null),
            all.Length == 0 ? null : all);
    }
}

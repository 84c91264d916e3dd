namespace Ocpp.Rpc.Filters;

// The outbound filters of a connection compiled once into a chain of delegates, as CallPipeline does for inbound
// calls: stage i calls filter i with stage i + 1 as next, and the last stage sends the call (the context's Terminal).
internal sealed class OutboundCallPipeline
{
    private static readonly OcppOutboundCallHandler InvokeTerminal = static context => context.Terminal!(context);

    private OutboundCallPipeline(IOcppOutboundCallFilter[] filters)
    {
        Filters = filters;
        OcppOutboundCallHandler next = InvokeTerminal;
        for (int i = filters.Length - 1; i >= 0; i--)
        {
            IOcppOutboundCallFilter filter = filters[i];
            OcppOutboundCallHandler after = next;
            next = context => filter.InvokeAsync(context, after);
        }

        Entry = next;
    }

    public IOcppOutboundCallFilter[] Filters { get; }

    public OcppOutboundCallHandler Entry { get; }

    public static OutboundCallPipeline? Create(IReadOnlyList<IOcppOutboundCallFilter>? first, IReadOnlyList<IOcppOutboundCallFilter>? then)
    {
        IOcppOutboundCallFilter[] filters = [.. first ?? [], .. then ?? []];
        foreach (IOcppOutboundCallFilter filter in filters)
        {
            ArgumentNullException.ThrowIfNull(filter, nameof(OcppConnectionOptions.OutboundCallFilters));
        }

        return filters.Length == 0 ? null : new OutboundCallPipeline(filters);
    }
}

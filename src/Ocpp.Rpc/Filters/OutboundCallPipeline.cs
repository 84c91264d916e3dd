namespace Ocpp.Rpc.Filters;

// The outbound call filters of a connection as one chain (FilterChain); the last stage sends the call (the context's Terminal).
internal sealed class OutboundCallPipeline
{
    private static readonly OcppOutboundCallHandler InvokeTerminal = static context => context.Terminal!(context);

    private OutboundCallPipeline(IOcppOutboundCallFilter[] filters)
    {
        Filters = filters;
        Entry = FilterChain.Build(filters, InvokeTerminal, static (filter, next) => context => filter.InvokeAsync(context, next));
    }

    public IOcppOutboundCallFilter[] Filters { get; }

    public OcppOutboundCallHandler Entry { get; }

    public static OutboundCallPipeline? Create(IReadOnlyList<IOcppOutboundCallFilter>? first, IReadOnlyList<IOcppOutboundCallFilter>? then) =>
        FilterChain.Collect(first, then, nameof(OcppConnectionOptions.OutboundCallFilters)) is { } filters ? new OutboundCallPipeline(filters) : null;
}

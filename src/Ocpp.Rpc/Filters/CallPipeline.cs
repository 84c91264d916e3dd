namespace Ocpp.Rpc.Filters;

// The inbound call filters of a connection as one chain (FilterChain); the last stage calls the handler the context holds.
internal sealed class CallPipeline
{
    private static readonly OcppCallHandler InvokeHandler = static context => context.Handler!(context);

    private CallPipeline(IOcppCallFilter[] filters)
    {
        Filters = filters;
        Entry = FilterChain.Build(filters, InvokeHandler, static (filter, next) => context => filter.InvokeAsync(context, next));
    }

    public IOcppCallFilter[] Filters { get; }

    public OcppCallHandler Entry { get; }

    public static CallPipeline? Create(IReadOnlyList<IOcppCallFilter>? first, IReadOnlyList<IOcppCallFilter>? then) =>
        FilterChain.Collect(first, then, nameof(OcppConnectionOptions.CallFilters)) is { } filters ? new CallPipeline(filters) : null;
}

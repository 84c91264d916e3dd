namespace Ocpp.Rpc.Filters;

// The filters of a connection compiled once into a chain of delegates, so a call through N filters allocates nothing
// for the chain: stage i calls filter i with stage i + 1 as next, and the last stage calls the handler the context holds.
internal sealed class CallPipeline
{
    private static readonly OcppCallHandler InvokeHandler = static context => context.Handler!(context);

    private CallPipeline(IOcppCallFilter[] filters)
    {
        Filters = filters;
        OcppCallHandler next = InvokeHandler;
        for (int i = filters.Length - 1; i >= 0; i--)
        {
            IOcppCallFilter filter = filters[i];
            OcppCallHandler after = next;
            next = context => filter.InvokeAsync(context, after);
        }

        Entry = next;
    }

    public IOcppCallFilter[] Filters { get; }

    public OcppCallHandler Entry { get; }

    public static CallPipeline? Create(IReadOnlyList<IOcppCallFilter>? first, IReadOnlyList<IOcppCallFilter>? then)
    {
        IOcppCallFilter[] filters = [.. first ?? [], .. then ?? []];
        foreach (IOcppCallFilter filter in filters)
        {
            ArgumentNullException.ThrowIfNull(filter, nameof(OcppConnectionOptions.CallFilters));
        }

        return filters.Length == 0 ? null : new CallPipeline(filters);
    }
}

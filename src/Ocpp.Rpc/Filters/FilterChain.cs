namespace Ocpp.Rpc.Filters;

// A connection's filters (inbound or outbound) compiled once into a chain of delegates, so a call through N filters
// allocates nothing for the chain: stage i calls filter i with stage i + 1 as next, and the last stage is `last`.
internal static class FilterChain
{
    public static TFilter[]? Collect<TFilter>(IReadOnlyList<TFilter>? first, IReadOnlyList<TFilter>? then, string optionName)
        where TFilter : class
    {
        TFilter[] filters = [.. first ?? [], .. then ?? []];
        foreach (TFilter filter in filters)
        {
            ArgumentNullException.ThrowIfNull(filter, optionName);
        }

        return filters.Length == 0 ? null : filters;
    }

    // link(filter, next) makes the stage that runs `filter` with `next` after it.
    public static THandler Build<TFilter, THandler>(TFilter[] filters, THandler last, Func<TFilter, THandler, THandler> link)
    {
        THandler next = last;
        for (int i = filters.Length - 1; i >= 0; i--)
        {
            next = link(filters[i], next);
        }

        return next;
    }
}

using System.Runtime.CompilerServices;

namespace Ocpp.Rpc.Filters;

// What a connection runs around its messages: the compiled filter pipeline and the message observers. Built once per
// options instance and shared by every connection made with it (kept beside the options, not in them, so record
// equality and `with` copies are unaffected); null when there is nothing, so a plain connection pays one null check.
internal sealed class ConnectionHooks
{
    private static readonly ConditionalWeakTable<OcppConnectionOptions, ConnectionHooks> Shared = new();

    private ConnectionHooks(CallPipeline? pipeline, IOcppMessageObserver[]? observers)
    {
        Pipeline = pipeline;
        Observers = observers;
    }

    public CallPipeline? Pipeline { get; }

    public IOcppMessageObserver[]? Observers { get; }

    public static ConnectionHooks? For(OcppConnectionOptions options)
    {
        if (options.CallFilters is not { Count: > 0 } && options.MessageObservers is not { Count: > 0 })
        {
            ArgumentNullException.ThrowIfNull(options.CallFilters, nameof(options));
            ArgumentNullException.ThrowIfNull(options.MessageObservers, nameof(options));
            return null;
        }

        return Shared.GetValue(options, static o => Create(o.CallFilters, null, o.MessageObservers));
    }

    public ConnectionHooks WithFilter(IOcppCallFilter filter) =>
        new(CallPipeline.Create(Pipeline?.Filters, [filter]), Observers);

    public static ConnectionHooks WithFilterOnly(IOcppCallFilter filter) => new(CallPipeline.Create([filter], null), null);

    private static ConnectionHooks Create(IReadOnlyList<IOcppCallFilter> filters, IReadOnlyList<IOcppCallFilter>? more, IReadOnlyList<IOcppMessageObserver> observers)
    {
        IOcppMessageObserver[] all = [.. observers];
        foreach (IOcppMessageObserver observer in all)
        {
            ArgumentNullException.ThrowIfNull(observer, nameof(OcppConnectionOptions.MessageObservers));
        }

        return new ConnectionHooks(CallPipeline.Create(filters, more), all.Length == 0 ? null : all);
    }
}

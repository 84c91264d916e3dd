namespace Ocpp.Rpc;

/// <summary>
/// A thread-safe set of handlers. Each connection has its own; a server passes one shared registry to all its
/// connections, consulted after the connection's own. Registration copies on write, so lookups take no lock.
/// </summary>
public sealed class OcppHandlerRegistry : IOcppHandlerRegistry
{
    private readonly Lock _writeLock = new();
    // Shared by every empty registry (a connection's own is usually empty) and never written: registration copies.
    private static readonly Dictionary<HandlerKey, OcppCallHandler> NoHandlers = [];
    private Dictionary<HandlerKey, OcppCallHandler> _handlers = NoHandlers;
    private OcppCallHandler? _wildcard;

    /// <summary>Whether no handler (not even a wildcard) is registered.</summary>
    public bool IsEmpty => _handlers.Count == 0 && _wildcard is null;

    /// <inheritdoc/>
    public void Register(string? protocol, string action, OcppCallHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentNullException.ThrowIfNull(handler);
        lock (_writeLock)
        {
            var next = new Dictionary<HandlerKey, OcppCallHandler>(_handlers) { [new(protocol, action)] = handler };
            _handlers = next;
        }
    }

    /// <inheritdoc/>
    public bool Unregister(string? protocol, string action)
    {
        lock (_writeLock)
        {
            var next = new Dictionary<HandlerKey, OcppCallHandler>(_handlers);
            bool removed = next.Remove(new(protocol, action));
            _handlers = next;
            return removed;
        }
    }

    /// <inheritdoc/>
    public void RegisterWildcard(OcppCallHandler? handler) => Volatile.Write(ref _wildcard, handler);

    /// <summary>Finds the version-specific, then the generic handler for an action (not the wildcard).</summary>
    internal OcppCallHandler? Find(string? protocol, string action)
    {
        Dictionary<HandlerKey, OcppCallHandler> handlers = _handlers;
        if (handlers.Count == 0)
        {
            return null;
        }

        if (protocol is not null && handlers.TryGetValue(new(protocol, action), out OcppCallHandler? specific))
        {
            return specific;
        }

        return handlers.GetValueOrDefault(new(null, action));
    }

    internal OcppCallHandler? Wildcard => Volatile.Read(ref _wildcard);

    private readonly record struct HandlerKey(string? Protocol, string Action);
}

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
    public IDisposable Register(string? protocol, string action, OcppCallHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentNullException.ThrowIfNull(handler);
        var key = new HandlerKey(protocol, action);
        lock (_writeLock)
        {
            var next = new Dictionary<HandlerKey, OcppCallHandler>(_handlers) { [key] = handler };
            _handlers = next;
        }

        return new Registration(this, key, handler);
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
    public IDisposable RegisterWildcard(OcppCallHandler? handler)
    {
        Volatile.Write(ref _wildcard, handler);
        return handler is null ? Registration.None : new Registration(this, null, handler);
    }

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

    // Removes only the handler it registered: one registered later for the same key stays.
    private void Remove(HandlerKey? key, OcppCallHandler handler)
    {
        if (key is not { } k)
        {
            Interlocked.CompareExchange(ref _wildcard, null, handler);
            return;
        }

        lock (_writeLock)
        {
            if (_handlers.TryGetValue(k, out OcppCallHandler? current) && current == handler)
            {
                var next = new Dictionary<HandlerKey, OcppCallHandler>(_handlers);
                next.Remove(k);
                _handlers = next;
            }
        }
    }

    private readonly record struct HandlerKey(string? Protocol, string Action);

    private sealed class Registration(OcppHandlerRegistry? registry, HandlerKey? key, OcppCallHandler? handler) : IDisposable
    {
        public static readonly Registration None = new(null, null, null);
        private OcppHandlerRegistry? _registry = registry;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _registry, null) is { } owner)
            {
                owner.Remove(key, handler!);
            }
        }
    }
}

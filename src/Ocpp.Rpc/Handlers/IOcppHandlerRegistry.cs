namespace Ocpp.Rpc;

/// <summary>
/// Where handlers are registered: an <see cref="OcppConnection"/>, a shared <see cref="OcppHandlerRegistry"/>, or a
/// server. Lookup order for an inbound CALL: the handler for the connection's protocol and the action, then the
/// generic handler for the action (any protocol), then the wildcard handler; unknown actions get NotImplemented.
/// </summary>
public interface IOcppHandlerRegistry
{
    /// <summary>Registers (or replaces) a handler.</summary>
    /// <param name="protocol">The subprotocol it applies to, or <see langword="null"/> for every protocol.</param>
    /// <param name="action">The case-sensitive action name.</param>
    /// <param name="handler">The handler.</param>
    /// <returns>Disposing it removes this registration (and nothing that replaced it since).</returns>
    IDisposable Register(string? protocol, string action, OcppCallHandler handler);

    /// <summary>Removes a handler registered with the same protocol and action.</summary>
    /// <param name="protocol">The protocol it was registered for, or <see langword="null"/>.</param>
    /// <param name="action">The action name.</param>
    /// <returns>Whether a handler was removed.</returns>
    bool Unregister(string? protocol, string action);

    /// <summary>Sets (or with <see langword="null"/> clears) the wildcard handler that receives every action without a handler.</summary>
    /// <param name="handler">The wildcard handler.</param>
    /// <returns>Disposing it clears the wildcard if it is still this handler.</returns>
    IDisposable RegisterWildcard(OcppCallHandler? handler);
}

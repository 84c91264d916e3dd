namespace Ocpp.Rpc;

/// <summary>Convenient and typed ways to register handlers on any <see cref="IOcppHandlerRegistry"/>.</summary>
public static class OcppHandlerRegistryExtensions
{
    /// <summary>Registers a raw handler for an action on every protocol.</summary>
    /// <param name="registry">The connection, server or registry.</param>
    /// <param name="action">The case-sensitive action name.</param>
    /// <param name="handler">The handler.</param>
    /// <returns>Disposing it removes the registration.</returns>
    public static IDisposable Handle(this IOcppHandlerRegistry registry, string action, OcppCallHandler handler)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Register(null, action, handler);
    }

    /// <summary>Registers a raw handler for an action on one protocol (takes precedence over the generic one).</summary>
    /// <param name="registry">The connection, server or registry.</param>
    /// <param name="protocol">The subprotocol, e.g. <see cref="OcppProtocols.Ocpp201"/>.</param>
    /// <param name="action">The case-sensitive action name.</param>
    /// <param name="handler">The handler.</param>
    /// <returns>Disposing it removes the registration.</returns>
    public static IDisposable Handle(this IOcppHandlerRegistry registry, string protocol, string action, OcppCallHandler handler)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(protocol);
        return registry.Register(protocol, action, handler);
    }

    /// <summary>Registers the wildcard handler, called for every action that has no handler of its own.</summary>
    /// <param name="registry">The connection, server or registry.</param>
    /// <param name="handler">The handler; <see cref="OcppCallContext.Action"/> tells which action arrived.</param>
    /// <returns>Disposing it removes the registration.</returns>
    public static IDisposable HandleAny(this IOcppHandlerRegistry registry, OcppCallHandler handler)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.RegisterWildcard(handler);
    }

    /// <summary>
    /// Registers a typed handler for <typeparamref name="TRequest"/>'s action on its protocol. The payload is
    /// deserialized with source-generated metadata; a payload that does not fit gets a FormatViolation.
    /// </summary>
    /// <typeparam name="TRequest">The request record, e.g. <c>BootNotificationRequest</c>.</typeparam>
    /// <typeparam name="TResponse">Its response record.</typeparam>
    /// <param name="registry">The connection, server or registry.</param>
    /// <param name="handler">Computes the response.</param>
    /// <returns>Disposing it removes the registration.</returns>
    public static IDisposable Handle<TRequest, TResponse>(this IOcppHandlerRegistry registry, Func<TRequest, OcppCallContext, ValueTask<TResponse>> handler)
        where TRequest : IOcppRequest<TRequest, TResponse>
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(handler);
        return registry.Register(TRequest.Protocol, TRequest.Action, async context =>
        {
            TRequest request = context.Deserialize(TRequest.RequestTypeInfo);
            TResponse response = await handler(request, context).ConfigureAwait(false);
            return OcppPayload.From(response, TRequest.ResponseTypeInfo);
        });
    }

    /// <summary>Registers a synchronous typed handler for <typeparamref name="TRequest"/>'s action on its protocol.</summary>
    /// <typeparam name="TRequest">The request record.</typeparam>
    /// <typeparam name="TResponse">Its response record.</typeparam>
    /// <param name="registry">The connection, server or registry.</param>
    /// <param name="handler">Computes the response.</param>
    /// <returns>Disposing it removes the registration.</returns>
    public static IDisposable Handle<TRequest, TResponse>(this IOcppHandlerRegistry registry, Func<TRequest, OcppCallContext, TResponse> handler)
        where TRequest : IOcppRequest<TRequest, TResponse>
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(handler);
        return registry.Register(TRequest.Protocol, TRequest.Action, context =>
        {
            TRequest request = context.Deserialize(TRequest.RequestTypeInfo);
            return new ValueTask<OcppReply>(OcppPayload.From(handler(request, context), TRequest.ResponseTypeInfo));
        });
    }

    /// <summary>Registers a typed handler for a one-way 2.1 SEND message.</summary>
    /// <typeparam name="TMessage">The message record, e.g. <c>NotifyPeriodicEventStream</c>.</typeparam>
    /// <param name="registry">The connection, server or registry.</param>
    /// <param name="handler">Processes the message.</param>
    /// <returns>Disposing it removes the registration.</returns>
    public static IDisposable HandleSend<TMessage>(this IOcppHandlerRegistry registry, Func<TMessage, OcppCallContext, ValueTask> handler)
        where TMessage : IOcppSendMessage<TMessage>
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(handler);
        return registry.Register(TMessage.Protocol, TMessage.Action, async context =>
        {
            await handler(context.Deserialize(TMessage.MessageTypeInfo), context).ConfigureAwait(false);
            return OcppReply.NoReply;
        });
    }
}

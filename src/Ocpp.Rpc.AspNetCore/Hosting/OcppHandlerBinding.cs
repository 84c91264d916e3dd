using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;

namespace Ocpp.Rpc.AspNetCore.Hosting;

// A handler class registered with AddHandler, as the delegate the server dispatches to: per call it resolves the class
// from the call's DI scope (created then, disposed after the reply) and runs it. No reflection per call: the generic
// delegate is made once at registration.
internal sealed class OcppHandlerBinding(string? protocol, string action, Type handlerType, OcppCallHandler handler)
{
    public string? Protocol { get; } = protocol;

    public string Action { get; } = action;

    public Type HandlerType { get; } = handlerType;

    public OcppCallHandler Handler { get; } = handler;

    public static OcppHandlerBinding Typed<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler, TRequest, TResponse>()
        where THandler : class, IOcppHandler<TRequest, TResponse>
        where TRequest : IOcppRequest<TRequest, TResponse> =>
        new(TRequest.Protocol, TRequest.Action, typeof(THandler), async context =>
        {
            TRequest request = context.Deserialize(TRequest.RequestTypeInfo);
            THandler handler = Services(context).GetRequiredService<THandler>();
            TResponse response = await handler.HandleAsync(request, context).ConfigureAwait(false);
            return OcppPayload.From(response, TRequest.ResponseTypeInfo);
        });

    public static OcppHandlerBinding Send<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler, TMessage>()
        where THandler : class, IOcppSendHandler<TMessage>
        where TMessage : IOcppSendMessage<TMessage> =>
        new(TMessage.Protocol, TMessage.Action, typeof(THandler), async context =>
        {
            TMessage message = context.Deserialize(TMessage.MessageTypeInfo);
            await Services(context).GetRequiredService<THandler>().HandleAsync(message, context).ConfigureAwait(false);
            return OcppReply.NoReply;
        });

    public static OcppHandlerBinding Untyped<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(string? protocol, string action)
        where THandler : class, IOcppActionHandler =>
        new(protocol, action, typeof(THandler), context => Services(context).GetRequiredService<THandler>().HandleAsync(context));

    private static IServiceProvider Services(OcppCallContext context) =>
        context.Services ?? throw new InvalidOperationException("The connection has no service provider (OcppConnectionOptions.Services): handler classes need AddOcppServer.");
}

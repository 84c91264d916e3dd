namespace Ocpp.Rpc;

/// <summary>
/// A handler class for one typed request, e.g. <c>IOcppHandler&lt;V201.BootNotificationRequest, V201.BootNotificationResponse&gt;</c>.
/// Registered with <c>AddOcppServer().AddHandler&lt;THandler&gt;()</c>, it is resolved from the call's DI scope
/// (<see cref="OcppCallContext.Services"/>) for every call, so it may take scoped services (an EF Core <c>DbContext</c>)
/// in its constructor. A class may implement it for several requests (e.g. one per version).
/// </summary>
/// <typeparam name="TRequest">The request record; its action and protocol decide what the handler receives.</typeparam>
/// <typeparam name="TResponse">Its response record.</typeparam>
public interface IOcppHandler<TRequest, TResponse>
    where TRequest : IOcppRequest<TRequest, TResponse>
{
    /// <summary>Handles one call. Throw an <see cref="OcppRpcException"/> to answer with a CALLERROR.</summary>
    /// <param name="request">The deserialized request.</param>
    /// <param name="context">The call: identity, protocol, message id, cancellation, services.</param>
    /// <returns>The response.</returns>
    ValueTask<TResponse> HandleAsync(TRequest request, OcppCallContext context);
}

/// <summary>A handler class for a typed one-way OCPP 2.1 SEND message (see <see cref="IOcppHandler{TRequest, TResponse}"/>).</summary>
/// <typeparam name="TMessage">The message record.</typeparam>
public interface IOcppSendHandler<TMessage>
    where TMessage : IOcppSendMessage<TMessage>
{
    /// <summary>Handles one message.</summary>
    /// <param name="message">The deserialized message.</param>
    /// <param name="context">The message's context.</param>
    /// <returns>Completes when handled.</returns>
    ValueTask HandleAsync(TMessage message, OcppCallContext context);
}

/// <summary>
/// An untyped handler class for actions without a record (vendor actions, <c>DataTransfer</c> as raw JSON), registered
/// for a named action with <c>AddOcppServer().AddHandler&lt;THandler&gt;("Action")</c> and resolved per call like
/// <see cref="IOcppHandler{TRequest, TResponse}"/>.
/// </summary>
public interface IOcppActionHandler
{
    /// <summary>Handles one call (see <see cref="OcppCallHandler"/> for what to return or throw).</summary>
    /// <param name="context">The call, its raw payload included.</param>
    /// <returns>The reply.</returns>
    ValueTask<OcppReply> HandleAsync(OcppCallContext context);
}

namespace Ocpp.Rpc;

/// <summary>Typed calls on any <see cref="IOcppPeer"/>: a connection, a client, or a station anywhere in a cluster.</summary>
public static class OcppPeerExtensions
{
    // The per-protocol options of typed calls made without options, so the common case allocates none.
    private static readonly OcppCallOptions Ocpp16 = new() { Protocol = OcppProtocols.Ocpp16 };
    private static readonly OcppCallOptions Ocpp201 = new() { Protocol = OcppProtocols.Ocpp201 };
    private static readonly OcppCallOptions Ocpp21 = new() { Protocol = OcppProtocols.Ocpp21 };

    /// <summary>
    /// Sends a typed CALL and waits for its typed CALLRESULT. The request's subprotocol travels in
    /// <see cref="OcppCallOptions.Protocol"/>: a peer speaking another version refuses it with
    /// <see cref="ArgumentException"/> before anything is sent, wherever it is connected.
    /// </summary>
    /// <typeparam name="TRequest">The request record, e.g. <c>BootNotificationRequest</c>.</typeparam>
    /// <typeparam name="TResponse">Its response record, inferred from the request.</typeparam>
    /// <param name="peer">The peer.</param>
    /// <param name="request">The request.</param>
    /// <param name="options">Per-call timeout, validation and message id.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The deserialized CALLRESULT.</returns>
    public static Task<TResponse> CallAsync<TRequest, TResponse>(this IOcppPeer peer, IOcppRequest<TRequest, TResponse> request, OcppCallOptions? options = null, CancellationToken cancellationToken = default)
        where TRequest : IOcppRequest<TRequest, TResponse>
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(request);
        return peer.CallAsync(TRequest.Action, OcppPayload.From((TRequest)request, TRequest.RequestTypeInfo), TRequest.ResponseTypeInfo, WithProtocol(options, TRequest.Protocol), cancellationToken);
    }

    /// <summary>Sends a typed OCPP 2.1 SEND message.</summary>
    /// <typeparam name="TMessage">The message record.</typeparam>
    /// <param name="peer">The peer.</param>
    /// <param name="message">The message.</param>
    /// <param name="options">Validation and message id.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    public static Task SendAsync<TMessage>(this IOcppPeer peer, IOcppSendMessage<TMessage> message, OcppCallOptions? options = null, CancellationToken cancellationToken = default)
        where TMessage : IOcppSendMessage<TMessage>
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(message);
        return peer.SendAsync(TMessage.Action, OcppPayload.From((TMessage)message, TMessage.MessageTypeInfo), WithProtocol(options, TMessage.Protocol), cancellationToken);
    }

    internal static OcppCallOptions WithProtocol(OcppCallOptions? options, string protocol)
    {
        if (options is null)
        {
            return protocol switch
            {
                OcppProtocols.Ocpp16 => Ocpp16,
                OcppProtocols.Ocpp201 => Ocpp201,
                OcppProtocols.Ocpp21 => Ocpp21,
                _ => new OcppCallOptions { Protocol = protocol },
            };
        }

        return string.Equals(options.Protocol, protocol, StringComparison.Ordinal) ? options : options with { Protocol = protocol };
    }
}

using Ocpp.Rpc.Internal;

namespace Ocpp.Rpc;

/// <summary>
/// Typed vendor <c>DataTransfer</c>: calls with a generated payload record (<see cref="IOcppDataTransferRequest{TSelf, TResponse}"/>)
/// and one handler per <c>(vendorId, messageId)</c>.
/// </summary>
public static class OcppDataTransferExtensions
{
    /// <summary>
    /// Sends a <c>DataTransfer</c> CALL with <typeparamref name="TRequest"/>'s vendorId and messageId and
    /// <paramref name="request"/> as its <c>data</c>, and returns the status and typed <c>data</c> of the answer.
    /// </summary>
    /// <typeparam name="TRequest">The request payload record, e.g. <c>AcmeSetDisplayRequest</c>.</typeparam>
    /// <typeparam name="TResponse">Its response payload record, inferred from the request.</typeparam>
    /// <param name="peer">The peer (a connection, a client, a station anywhere in a cluster).</param>
    /// <param name="request">The payload.</param>
    /// <param name="options">Per-call timeout, validation and message id.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The response's status and payload (<see langword="null"/> when the answer has no <c>data</c>).</returns>
    /// <exception cref="OcppRpcException">The peer answered with a CALLERROR, or strict mode refused the request or response.</exception>
    public static Task<OcppDataTransferResult<TResponse>> CallDataTransferAsync<TRequest, TResponse>(this IOcppPeer peer, IOcppDataTransferRequest<TRequest, TResponse> request, OcppCallOptions? options = null, CancellationToken cancellationToken = default)
        where TRequest : IOcppDataTransferRequest<TRequest, TResponse>
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(request);
        // The key goes with the call so that strict mode can check the answer's data against the key's response schema.
        OcppCallOptions keyed = OcppPeerExtensions.WithProtocol(options, TRequest.Protocol) with
        {
            DataTransferResponse = new DataTransferKey(TRequest.VendorId, TRequest.MessageId),
        };
        return peer.CallAsync(
            DataTransferWire.Action,
            OcppPayload.From(new DataTransferCall<TRequest>((TRequest)request), DataTransferJson<TRequest, TResponse>.Call),
            DataTransferJson<TRequest, TResponse>.Result,
            keyed,
            cancellationToken);
    }

    /// <summary>
    /// Handles the <c>DataTransfer</c> CALLs of <typeparamref name="TRequest"/>'s vendorId and messageId on its
    /// protocol. All such handlers of a registry share its <c>DataTransfer</c> handler for that protocol, which
    /// answers <c>UnknownVendorId</c> or <c>UnknownMessageId</c> for a key without a handler; do not register a raw
    /// <c>DataTransfer</c> handler for the same protocol as well. A <c>data</c> that does not fit the record is
    /// answered with FormatViolation (<c>FormationViolation</c> in 1.6).
    /// </summary>
    /// <typeparam name="TRequest">The request payload record.</typeparam>
    /// <typeparam name="TResponse">Its response payload record.</typeparam>
    /// <param name="registry">The connection, client, server or registry.</param>
    /// <param name="handler">Computes the result; returning a <typeparamref name="TResponse"/> answers <c>Accepted</c> with it as <c>data</c>.</param>
    /// <returns>Disposing it removes this handler.</returns>
    public static IDisposable HandleDataTransfer<TRequest, TResponse>(this IOcppHandlerRegistry registry, Func<TRequest, OcppCallContext, ValueTask<OcppDataTransferResult<TResponse>>> handler)
        where TRequest : IOcppDataTransferRequest<TRequest, TResponse>
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(handler);
        return DataTransferRouter.Add(registry, TRequest.Protocol, TRequest.VendorId, TRequest.MessageId, new DataTransferRoute<TRequest, TResponse>(handler));
    }

    /// <summary>Handles <typeparamref name="TRequest"/>'s DataTransfer CALLs synchronously (see the asynchronous overload).</summary>
    /// <typeparam name="TRequest">The request payload record.</typeparam>
    /// <typeparam name="TResponse">Its response payload record.</typeparam>
    /// <param name="registry">The connection, client, server or registry.</param>
    /// <param name="handler">Computes the result; returning a <typeparamref name="TResponse"/> answers <c>Accepted</c> with it as <c>data</c>.</param>
    /// <returns>Disposing it removes this handler.</returns>
    public static IDisposable HandleDataTransfer<TRequest, TResponse>(this IOcppHandlerRegistry registry, Func<TRequest, OcppCallContext, OcppDataTransferResult<TResponse>> handler)
        where TRequest : IOcppDataTransferRequest<TRequest, TResponse>
    {
        ArgumentNullException.ThrowIfNull(handler);
        return registry.HandleDataTransfer<TRequest, TResponse>((request, context) => new ValueTask<OcppDataTransferResult<TResponse>>(handler(request, context)));
    }
}

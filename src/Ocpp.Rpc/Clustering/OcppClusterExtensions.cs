using System.Text.Json;

namespace Ocpp.Rpc.Clustering;

/// <summary>Typed calls through any <see cref="IOcppCluster"/>.</summary>
public static class OcppClusterExtensions
{
    /// <summary>
    /// Calls a station on whichever node holds it with a typed request and returns the typed response. The request is
    /// serialized here and the response deserialized here, so nodes only exchange JSON. The request's subprotocol
    /// travels in <see cref="OcppCallOptions.Protocol"/>: a station speaking another version refuses it with
    /// <see cref="ArgumentException"/>, wherever it is connected.
    /// </summary>
    /// <typeparam name="TRequest">The request record.</typeparam>
    /// <typeparam name="TResponse">Its response record, inferred from the request.</typeparam>
    /// <param name="cluster">The cluster.</param>
    /// <param name="identity">The station identity.</param>
    /// <param name="request">The request.</param>
    /// <param name="options">Timeout, validation and message id.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    public static async Task<TResponse> CallAsync<TRequest, TResponse>(this IOcppCluster cluster, string identity, IOcppRequest<TRequest, TResponse> request, OcppCallOptions? options = null, CancellationToken cancellationToken = default)
        where TRequest : IOcppRequest<TRequest, TResponse>
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(request);
        if (cluster.TryGetLocal(identity, out OcppConnection? local))
        {
            return await local.CallAsync(request, options, cancellationToken).ConfigureAwait(false);
        }

        // The request's version travels with the call, so the node holding the station refuses a version mismatch.
        OcppCallOptions routed = (options ?? new OcppCallOptions()) with { Protocol = TRequest.Protocol };
        byte[] json = JsonSerializer.SerializeToUtf8Bytes((TRequest)request, TRequest.RequestTypeInfo);
        JsonElement result = await cluster.CallAsync(identity, TRequest.Action, OcppPayload.FromUtf8Json(json), routed, cancellationToken).ConfigureAwait(false);
        try
        {
            return result.Deserialize(TRequest.ResponseTypeInfo) ?? throw new JsonException("The response payload is null.");
        }
        catch (JsonException ex)
        {
            throw new OcppFormatViolationException($"The response does not fit {TRequest.Action}: {ex.Message}");
        }
    }
}

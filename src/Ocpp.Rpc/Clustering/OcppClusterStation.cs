using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ocpp.Rpc.Clustering;

/// <summary>
/// The <see cref="IOcppStation"/> that <see cref="IOcppCluster.GetStation"/> returns: each call goes to the station's
/// connection when it is on this node (a typed response is deserialized straight from the frame), otherwise through
/// the cluster's routing as JSON. Implementations of <see cref="IOcppCluster"/> return one.
/// </summary>
public sealed class OcppClusterStation : IOcppStation
{
    private readonly IOcppCluster cluster;
    private readonly string identity;

    /// <summary>Creates the handle.</summary>
    /// <param name="cluster">The cluster that routes its calls.</param>
    /// <param name="identity">The station identity.</param>
    public OcppClusterStation(IOcppCluster cluster, string identity)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentException.ThrowIfNullOrEmpty(identity);
        this.cluster = cluster;
        this.identity = identity;
    }

    /// <inheritdoc/>
    public string Identity => identity;

    /// <inheritdoc/>
    public string? Protocol => cluster.TryGetLocal(identity, out OcppConnection? connection) ? connection.Protocol : null;

    /// <inheritdoc/>
    public string? NodeId => cluster.TryGetLocal(identity, out _) ? cluster.NodeId : null;

    /// <inheritdoc/>
    public Task<JsonElement> CallAsync(string action, OcppPayload payload = default, OcppCallOptions? options = null, CancellationToken cancellationToken = default) =>
        cluster.CallAsync(identity, action, payload, options, cancellationToken);

    /// <inheritdoc/>
    public Task<TResponse> CallAsync<TResponse>(string action, OcppPayload payload, JsonTypeInfo<TResponse> responseType, OcppCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(responseType);
        return cluster.TryGetLocal(identity, out OcppConnection? local)
            ? local.CallAsync(action, payload, responseType, options, cancellationToken)
            : CallRoutedAsync(action, payload, responseType, options, cancellationToken);
    }

    /// <inheritdoc/>
    public Task SendAsync(string action, OcppPayload payload = default, OcppCallOptions? options = null, CancellationToken cancellationToken = default) =>
        cluster.SendAsync(identity, action, payload, options, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<OcppStationInfo?> GetInfoAsync(CancellationToken cancellationToken = default) => cluster.FindStationAsync(identity, cancellationToken);

    /// <inheritdoc/>
    public override string ToString() => identity;

    private async Task<TResponse> CallRoutedAsync<TResponse>(string action, OcppPayload payload, JsonTypeInfo<TResponse> responseType, OcppCallOptions? options, CancellationToken cancellationToken)
    {
        JsonElement result = await cluster.CallAsync(identity, action, payload, options, cancellationToken).ConfigureAwait(false);
        try
        {
            return (result.ValueKind == JsonValueKind.Null ? JsonElement.Parse("{}"u8) : result).Deserialize(responseType)
                ?? throw new JsonException("The response payload is null.");
        }
        catch (JsonException ex)
        {
            throw new OcppFormatViolationException($"The response does not fit {action}: {ex.Message}");
        }
    }
}

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ocpp.Rpc;

/// <summary>
/// The other end of an OCPP-J link that calls go to: a station seen from the CSMS (<see cref="IOcppStation"/>, from
/// <c>server.GetStation(identity)</c> or <c>cluster.GetStation(identity)</c>, wherever its socket is), a connection
/// (<see cref="OcppConnection"/>), or the CSMS seen from a charge point (<c>OcppClient</c>). The typed calls
/// (<c>CallAsync(request)</c>, <c>SendAsync(message)</c>) are extension methods on it (<see cref="OcppPeerExtensions"/>).
/// </summary>
public interface IOcppPeer
{
    /// <summary>The negotiated subprotocol, e.g. <c>ocpp1.6</c>; <see langword="null"/> when not known here.</summary>
    string? Protocol { get; }

    /// <summary>Sends a CALL and waits for its CALLRESULT, returned as raw JSON.</summary>
    /// <param name="action">The case-sensitive action name.</param>
    /// <param name="payload">The request payload (default: <c>{}</c>).</param>
    /// <param name="options">Per-call timeout, validation, message id and protocol.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL may already have been sent).</param>
    /// <returns>The CALLRESULT payload.</returns>
    Task<JsonElement> CallAsync(string action, OcppPayload payload = default, OcppCallOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a CALL and waits for its CALLRESULT, deserialized with source-generated metadata (what the typed
    /// <c>CallAsync(request)</c> extension calls; a local connection deserializes straight from the frame).
    /// </summary>
    /// <typeparam name="TResponse">The response type.</typeparam>
    /// <param name="action">The case-sensitive action name.</param>
    /// <param name="payload">The request payload.</param>
    /// <param name="responseType">The response's metadata.</param>
    /// <param name="options">Per-call timeout, validation, message id and protocol.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The deserialized CALLRESULT.</returns>
    Task<TResponse> CallAsync<TResponse>(string action, OcppPayload payload, JsonTypeInfo<TResponse> responseType, OcppCallOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Sends an OCPP 2.1 SEND <c>[6, id, action, payload]</c>: one-way, never answered.</summary>
    /// <param name="action">The action name.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="options">Validation, message id and protocol (the timeout does not apply).</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    Task SendAsync(string action, OcppPayload payload = default, OcppCallOptions? options = null, CancellationToken cancellationToken = default);
}

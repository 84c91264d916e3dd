namespace Ocpp.Rpc.Validation;

/// <summary>
/// Validates CALL and CALLRESULT payloads (strict mode). Implementations are called on the receive and send
/// paths, so they must be thread-safe and should cache whatever they compile per action.
/// </summary>
public interface IOcppPayloadValidator
{
    /// <summary>
    /// Validates one payload. Returns <see langword="null"/> when the payload is valid or this validator does not
    /// cover the protocol or action; otherwise the failure, whose <see cref="OcppValidationFailure.Code"/> is sent
    /// to the peer.
    /// </summary>
    /// <param name="protocol">The connection's subprotocol, e.g. <c>ocpp1.6</c>.</param>
    /// <param name="action">The action name.</param>
    /// <param name="kind">Whether the payload is a request (CALL/SEND) or a response (CALLRESULT).</param>
    /// <param name="payload">The payload as UTF-8 JSON.</param>
    OcppValidationFailure? Validate(string protocol, string action, OcppPayloadKind kind, ReadOnlySpan<byte> payload);
}

/// <summary>Which side of an exchange a payload is.</summary>
public enum OcppPayloadKind
{
    /// <summary>The payload of a CALL or SEND (schema <c>…Request</c> / <c>….req</c>).</summary>
    Request,

    /// <summary>The payload of a CALLRESULT (schema <c>…Response</c> / <c>….conf</c>).</summary>
    Response,
}

/// <summary>Why a payload failed validation, and the RPC error code to report for it.</summary>
/// <param name="Code">The error code to send to the peer (spelled for the connection's version on the wire).</param>
/// <param name="Description">A human-readable description, at most 255 characters on the wire.</param>
/// <param name="Errors">The individual schema errors (path and kind), for logs and the validation event.</param>
public sealed record OcppValidationFailure(OcppErrorCode Code, string Description, IReadOnlyList<string> Errors);

namespace Ocpp.Rpc.Validation;

/// <summary>
/// A JSON schema (draft-07 as used by OCA) for one action and direction of a protocol: a vendor action in a
/// standard protocol, an action of a vendor protocol, or a replacement for an official schema.
/// </summary>
/// <param name="Protocol">The subprotocol it applies to, e.g. <c>ocpp1.6</c> or a vendor name.</param>
/// <param name="Action">The action name (case-sensitive).</param>
/// <param name="Kind">Whether it validates the request (CALL/SEND) or the response (CALLRESULT) payload.</param>
/// <param name="Schema">The JSON schema text. Only local references (<c>#/definitions/…</c>) are resolved.</param>
public sealed record OcppCustomSchema(string Protocol, string Action, OcppPayloadKind Kind, string Schema);

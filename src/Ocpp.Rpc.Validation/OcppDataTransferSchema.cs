namespace Ocpp.Rpc.Validation;

/// <summary>
/// A JSON schema for the <c>data</c> of a vendor <c>DataTransfer</c> request, chosen by its <c>vendorId</c> and
/// <c>messageId</c>. In OCPP 1.x the schema applies to the JSON inside the <c>data</c> string, otherwise to the
/// <c>data</c> value itself. <c>ocpp-codegen</c> generates these (<c>XxxActions.DataTransferSchemas</c>).
/// </summary>
/// <remarks>
/// Only request payloads can be checked this way: a CALLRESULT carries no <c>vendorId</c>/<c>messageId</c>, so a
/// <see cref="OcppPayloadKind.Response"/> schema is kept for completeness but the typed deserialization of the answer
/// (<c>CallDataTransferAsync</c>) is what checks a response's <c>data</c>.
/// </remarks>
/// <param name="Protocol">The subprotocol, e.g. <c>ocpp1.6</c>.</param>
/// <param name="VendorId">The <c>vendorId</c> (case-sensitive).</param>
/// <param name="MessageId">The <c>messageId</c> (case-sensitive).</param>
/// <param name="Kind">Request (checked) or response (see remarks).</param>
/// <param name="Schema">The JSON schema text. Only local references (<c>#/definitions/…</c>) are resolved.</param>
public sealed record OcppDataTransferSchema(string Protocol, string VendorId, string MessageId, OcppPayloadKind Kind, string Schema);

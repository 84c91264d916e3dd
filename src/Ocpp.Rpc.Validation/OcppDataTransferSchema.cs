namespace Ocpp.Rpc.Validation;

/// <summary>
/// A JSON schema for the <c>data</c> of a vendor <c>DataTransfer</c> request, chosen by its <c>vendorId</c> and
/// <c>messageId</c>. In OCPP 1.x the schema applies to the JSON inside the <c>data</c> string, otherwise to the
/// <c>data</c> value itself. <c>ocpp-codegen</c> generates these (<c>XxxActions.DataTransferSchemas</c>).
/// </summary>
/// <remarks>
/// Request schemas are checked by <see cref="OcppSchemaValidator.Validate"/> on every DataTransfer CALL. A CALLRESULT
/// carries no <c>vendorId</c>/<c>messageId</c>, so <see cref="OcppPayloadKind.Response"/> schemas are checked by
/// <see cref="OcppSchemaValidator.ValidateDataTransferResponse"/>, which the typed DataTransfer calls and handlers
/// (<c>CallDataTransferAsync</c>, <c>HandleDataTransfer</c>) call with the key they know.
/// </remarks>
/// <param name="Protocol">The subprotocol, e.g. <c>ocpp1.6</c>.</param>
/// <param name="VendorId">The <c>vendorId</c> (case-sensitive).</param>
/// <param name="MessageId">The <c>messageId</c> (case-sensitive).</param>
/// <param name="Kind">Whether the schema is for the request's or the response's <c>data</c>.</param>
/// <param name="Schema">The JSON schema text. Only local references (<c>#/definitions/…</c>) are resolved.</param>
public sealed record OcppDataTransferSchema(string Protocol, string VendorId, string MessageId, OcppPayloadKind Kind, string Schema);

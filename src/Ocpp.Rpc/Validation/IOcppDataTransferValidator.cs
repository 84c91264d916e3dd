namespace Ocpp.Rpc.Validation;

/// <summary>
/// A validator that also knows schemas for the <c>data</c> of vendor <c>DataTransfer</c> responses, by
/// <c>(vendorId, messageId)</c>. A CALLRESULT does not say which key it answers, so the connection's own validation
/// cannot choose the schema; the typed DataTransfer calls and handlers (<c>CallDataTransferAsync</c>,
/// <c>HandleDataTransfer</c>) know the key and ask the connection's validator through this interface when it has it.
/// </summary>
public interface IOcppDataTransferValidator
{
    /// <summary>
    /// Validates the <c>data</c> of a <c>DataTransfer</c> response payload (the whole CALLRESULT payload, e.g.
    /// <c>{"status":"Accepted","data":…}</c>) against the response schema of <paramref name="vendorId"/> and
    /// <paramref name="messageId"/>. Returns <see langword="null"/> when it is valid, when the response has no
    /// <c>data</c>, or when no schema is known for the key.
    /// </summary>
    /// <param name="protocol">The connection's subprotocol, e.g. <c>ocpp1.6</c>.</param>
    /// <param name="vendorId">The request's <c>vendorId</c>.</param>
    /// <param name="messageId">The request's <c>messageId</c> (empty when it had none).</param>
    /// <param name="payload">The response payload as UTF-8 JSON.</param>
    /// <returns>The failure, or <see langword="null"/>.</returns>
    OcppValidationFailure? ValidateDataTransferResponse(string protocol, string vendorId, string messageId, ReadOnlySpan<byte> payload);
}

namespace Ocpp.Rpc.Internal;

/// <summary>
/// The <c>(vendorId, messageId)</c> of a typed DataTransfer request. A CALLRESULT does not carry it, so the typed calls
/// and handlers hand it to the connection, whose strict mode then checks the response's <c>data</c> with
/// <see cref="Validation.IOcppDataTransferValidator"/> along with the generic DataTransfer schema.
/// </summary>
internal readonly record struct DataTransferKey(string VendorId, string MessageId);

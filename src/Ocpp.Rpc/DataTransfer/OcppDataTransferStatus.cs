namespace Ocpp.Rpc;

/// <summary>The <c>status</c> of a <c>DataTransfer</c> response (the same four values in OCPP 1.6, 2.0.1 and 2.1).</summary>
public enum OcppDataTransferStatus
{
    /// <summary><c>Accepted</c>: the message was understood and processed.</summary>
    Accepted,

    /// <summary><c>Rejected</c>: the message was understood but not processed.</summary>
    Rejected,

    /// <summary><c>UnknownMessageId</c>: the vendor is known, the message id is not.</summary>
    UnknownMessageId,

    /// <summary><c>UnknownVendorId</c>: the vendor id is not known.</summary>
    UnknownVendorId,
}

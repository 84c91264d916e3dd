namespace Ocpp.Rpc.Framing;

/// <summary>
/// A structurally valid OCPP-J frame, as read by <see cref="OcppFrameReader"/>. Payload and error details are
/// ranges into the original UTF-8 buffer, so the payload is parsed only when a handler or caller deserializes it.
/// </summary>
public readonly struct OcppFrame
{
    internal OcppFrame(OcppMessageType type, string messageId, string? action, Range payload, string? errorCode, string? errorDescription, Range errorDetails)
    {
        MessageType = type;
        MessageId = messageId;
        Action = action;
        Payload = payload;
        ErrorCode = errorCode;
        ErrorDescription = errorDescription;
        ErrorDetails = errorDetails;
    }

    /// <summary>The message type.</summary>
    public OcppMessageType MessageType { get; }

    /// <summary>The message id (at most 36 characters).</summary>
    public string MessageId { get; }

    /// <summary>The action of a CALL or SEND; <see langword="null"/> otherwise.</summary>
    public string? Action { get; }

    /// <summary>The payload of a CALL, CALLRESULT or SEND (an object or <c>null</c>) within the frame buffer.</summary>
    public Range Payload { get; }

    /// <summary>The errorCode of a CALLERROR or CALLRESULTERROR; <see langword="null"/> otherwise.</summary>
    public string? ErrorCode { get; }

    /// <summary>The errorDescription of a CALLERROR or CALLRESULTERROR ("" when absent).</summary>
    public string? ErrorDescription { get; }

    /// <summary>The errorDetails object within the frame buffer; an empty range when absent or not an object.</summary>
    public Range ErrorDetails { get; }
}

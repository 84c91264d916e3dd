namespace Ocpp.Rpc.Framing;

/// <summary>Why a received message is not a valid OCPP-J frame.</summary>
public enum OcppFrameErrorKind
{
    /// <summary>Not valid JSON (or not valid UTF-8, or nested too deeply).</summary>
    InvalidJson,

    /// <summary>Valid JSON, but not an array.</summary>
    NotAnArray,

    /// <summary>The first element is missing or not an integer.</summary>
    InvalidMessageType,

    /// <summary>The message type number is not one this library knows (2-6).</summary>
    UnknownMessageType,

    /// <summary>The message id is missing or not a string.</summary>
    InvalidMessageId,

    /// <summary>The message id is longer than 36 characters.</summary>
    MessageIdTooLong,

    /// <summary>The action of a CALL or SEND is missing, empty or not a string.</summary>
    InvalidAction,

    /// <summary>The payload is missing or neither an object nor <c>null</c>.</summary>
    InvalidPayload,

    /// <summary>The errorCode or errorDescription of a CALLERROR / CALLRESULTERROR is missing or not a string.</summary>
    InvalidError,

    /// <summary>The array has the wrong number of elements for its message type.</summary>
    WrongElementCount,

    /// <summary>A CALL reused the id of a call that is still being processed (reported by the connection, not the reader).</summary>
    DuplicateMessageId,

    /// <summary>A binary WebSocket message arrived; OCPP-J uses text messages only (reported by the connection).</summary>
    BinaryMessage,
}

/// <summary>Describes a message that <see cref="OcppFrameReader"/> rejected.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Description">A human-readable description, safe to send to the peer (never echoes the input).</param>
/// <param name="MessageTypeNumber">The message type number, when it could be read.</param>
/// <param name="MessageId">The message id, when it could be read as a string (it may be too long).</param>
public readonly record struct OcppFrameError(OcppFrameErrorKind Kind, string Description, int? MessageTypeNumber, string? MessageId);

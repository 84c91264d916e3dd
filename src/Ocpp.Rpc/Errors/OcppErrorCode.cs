namespace Ocpp.Rpc;

/// <summary>
/// The RPC error codes of OCPP-J, version-neutral. <see cref="OcppErrorCodes"/> spells them per version on the wire
/// (1.6 keeps its official typos <c>FormationViolation</c> and <c>OccurenceConstraintViolation</c>).
/// </summary>
public enum OcppErrorCode
{
    /// <summary>A code this library does not know; the wire spelling is kept in <see cref="OcppRpcException.WireCode"/>.</summary>
    Unknown = 0,

    /// <summary>The requested action is not known by the receiver.</summary>
    NotImplemented,

    /// <summary>The requested action is recognized but not supported by the receiver.</summary>
    NotSupported,

    /// <summary>An internal error occurred and the receiver was not able to process the action.</summary>
    InternalError,

    /// <summary>The payload for the action is incomplete.</summary>
    ProtocolError,

    /// <summary>A security issue occurred during processing of the action.</summary>
    SecurityError,

    /// <summary>The payload is syntactically incorrect (1.6: <c>FormationViolation</c>).</summary>
    FormatViolation,

    /// <summary>The payload is syntactically correct but a field contains an invalid value.</summary>
    PropertyConstraintViolation,

    /// <summary>The payload breaks occurrence constraints (1.6: <c>OccurenceConstraintViolation</c>).</summary>
    OccurrenceConstraintViolation,

    /// <summary>A field has a value of the wrong data type.</summary>
    TypeConstraintViolation,

    /// <summary>Any other error.</summary>
    GenericError,

    /// <summary>2.x only: a message type number the receiver does not support (1.6 wire: <c>NotSupported</c>).</summary>
    MessageTypeNotSupported,

    /// <summary>2.x only: the content is not a valid RPC message, e.g. the message id could not be read (1.6 wire: <c>ProtocolError</c>).</summary>
    RpcFrameworkError,
}

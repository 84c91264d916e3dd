using Ocpp.Rpc.Framing;
using Ocpp.Rpc.Validation;

namespace Ocpp.Rpc;

/// <summary>A CALL or SEND was received or sent.</summary>
/// <param name="Direction">Inbound or outbound.</param>
/// <param name="MessageType">CALL or SEND.</param>
/// <param name="MessageId">The message id.</param>
/// <param name="Action">The action.</param>
/// <param name="Payload">The payload JSON.</param>
public sealed record OcppCallEventArgs(OcppDirection Direction, OcppMessageType MessageType, string MessageId, string Action, string Payload);

/// <summary>A CALLRESULT was received or sent.</summary>
/// <param name="Direction">Inbound or outbound.</param>
/// <param name="MessageId">The id of the answered CALL.</param>
/// <param name="Action">The action of the answered CALL.</param>
/// <param name="Payload">The payload JSON.</param>
public sealed record OcppResultEventArgs(OcppDirection Direction, string MessageId, string Action, string Payload);

/// <summary>A CALLERROR (or 2.1 CALLRESULTERROR) was received or sent.</summary>
/// <param name="Direction">Inbound or outbound.</param>
/// <param name="MessageType">CALLERROR or CALLRESULTERROR.</param>
/// <param name="MessageId">The id of the answered message ("-1" when it could not be read).</param>
/// <param name="Action">The action of the answered CALL, when known.</param>
/// <param name="Code">The version-neutral code.</param>
/// <param name="WireCode">The code as spelled on the wire.</param>
/// <param name="Description">The errorDescription.</param>
/// <param name="Details">The errorDetails JSON.</param>
public sealed record OcppErrorEventArgs(OcppDirection Direction, OcppMessageType MessageType, string MessageId, string? Action, OcppErrorCode Code, string WireCode, string Description, string Details);

/// <summary>A message was not a valid OCPP-J frame, or broke the protocol (duplicate id, unknown type).</summary>
/// <param name="Error">What is wrong.</param>
/// <param name="Message">The received text (truncated to 1024 characters; never sent back to the peer).</param>
/// <param name="ConsecutiveCount">How many bad messages in a row, this one included.</param>
public sealed record OcppBadMessageEventArgs(OcppFrameError Error, string Message, int ConsecutiveCount);

/// <summary>A CALLRESULT or CALLERROR arrived for an id with no pending call (late after a timeout, or unknown).</summary>
/// <param name="MessageType">CALLRESULT or CALLERROR.</param>
/// <param name="MessageId">The id.</param>
/// <param name="Payload">The payload or error details JSON.</param>
public sealed record OcppUnmatchedResponseEventArgs(OcppMessageType MessageType, string MessageId, string Payload);

/// <summary>A payload failed strict-mode validation.</summary>
/// <param name="Direction">Whether the payload was received or was about to be sent.</param>
/// <param name="Kind">Request or response.</param>
/// <param name="MessageId">The message id.</param>
/// <param name="Action">The action.</param>
/// <param name="Failure">The failure and its error code.</param>
public sealed record OcppValidationFailedEventArgs(OcppDirection Direction, OcppPayloadKind Kind, string MessageId, string Action, OcppValidationFailure Failure);

/// <summary>The connection closed.</summary>
/// <param name="Code">The close code (1006 when the link dropped without a close frame).</param>
/// <param name="Reason">The close reason, if any.</param>
/// <param name="ClosedByPeer">Whether the peer closed first (or the link dropped).</param>
public sealed record OcppClosedEventArgs(int Code, string? Reason, bool ClosedByPeer);

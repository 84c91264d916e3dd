namespace Ocpp.Rpc;

/// <summary>
/// Handles one inbound CALL (or 2.1 SEND). Return a payload for the CALLRESULT, <see cref="OcppReply.NoReply"/> to
/// send nothing, or throw an <see cref="OcppRpcException"/> to answer with a CALLERROR of that code. Any other
/// exception becomes an InternalError.
/// </summary>
/// <param name="context">The call: payload, action, protocol, message id, cancellation.</param>
public delegate ValueTask<OcppReply> OcppCallHandler(OcppCallContext context);

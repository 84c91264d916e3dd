namespace Ocpp.Rpc;

/// <summary>The rest of an outbound call pipeline: further filters, then the send and the wait for the CALLRESULT.</summary>
/// <param name="context">The call.</param>
/// <returns>The CALLRESULT (for a SEND, <see cref="OcppCallResult.None"/>).</returns>
public delegate ValueTask<OcppCallResult> OcppOutboundCallHandler(OcppOutboundCallContext context);

namespace Ocpp.Rpc;

/// <summary>
/// Middleware around every inbound CALL and SEND (after framing, duplicate-id and strict-mode checks, before the
/// handler): boot gating, rate limits, auditing. Filters run in order, server-wide ones (from
/// <see cref="OcppConnectionOptions.CallFilters"/>) before a connection's own (<see cref="OcppConnection.AddCallFilter"/>).
/// A filter calls <c>next(context)</c> to go on, or short-circuits by returning a reply (the CALLRESULT) or by throwing
/// an <see cref="OcppRpcException"/> (the CALLERROR); any other exception becomes an InternalError. An action without a
/// handler reaches the filters too: <c>next</c> then throws <see cref="OcppNotImplementedException"/>.
/// </summary>
public interface IOcppCallFilter
{
    /// <summary>Runs the filter.</summary>
    /// <param name="context">The call: identity, protocol, action, message id, payload and its DI scope.</param>
    /// <param name="next">The rest of the pipeline (further filters, then the handler); call it at most once.</param>
    /// <returns>The reply to send.</returns>
    ValueTask<OcppReply> InvokeAsync(OcppCallContext context, OcppCallHandler next);
}

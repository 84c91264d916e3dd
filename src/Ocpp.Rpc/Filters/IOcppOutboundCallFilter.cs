namespace Ocpp.Rpc;

/// <summary>
/// Middleware around every outbound CALL and SEND a connection makes (typed or raw, from a server, a cluster, a
/// client or the connection itself): boot gating ("no calls to a Rejected station"), rate limits, auditing. Filters
/// run in order, the ones of <see cref="OcppConnectionOptions.OutboundCallFilters"/> before a connection's own
/// (<see cref="OcppConnection.AddOutboundCallFilter"/>), before the call waits for its turn or is written. A filter
/// calls <c>next(context)</c> to go on, or short-circuits by returning a result without calling it (nothing is sent;
/// the caller gets that result) or by throwing (the caller gets the exception, e.g. an <see cref="OcppRpcException"/>).
/// With clustering, the filters of the node that holds the station's socket run.
/// </summary>
public interface IOcppOutboundCallFilter
{
    /// <summary>Runs the filter.</summary>
    /// <param name="context">The call: connection, identity, protocol, action, message id, payload and options.</param>
    /// <param name="next">The rest of the pipeline (further filters, then the send and the wait for the answer); call it at most once.</param>
    /// <returns>The CALLRESULT (for a SEND, <see cref="OcppCallResult.None"/>).</returns>
    ValueTask<OcppCallResult> InvokeAsync(OcppOutboundCallContext context, OcppOutboundCallHandler next);
}

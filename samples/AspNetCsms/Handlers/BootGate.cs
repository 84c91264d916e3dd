namespace Ocpp.Rpc.Samples.AspNetCsms;

/// <summary>
/// Before a station is accepted, CALLs other than BootNotification SHOULD get SecurityError (OCPP): a call filter
/// over every station, built on the server's directory.
/// </summary>
internal sealed class BootGate(StationDirectory stations) : IOcppCallFilter
{
    public ValueTask<OcppReply> InvokeAsync(OcppCallContext context, OcppCallHandler next) =>
        context.Action == "BootNotification" || stations.IsBooted(context.Identity)
            ? next(context)
            : throw new OcppSecurityErrorException($"{context.Action} before BootNotification was accepted.");
}

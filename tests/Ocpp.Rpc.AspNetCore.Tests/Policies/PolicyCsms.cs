using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Ocpp.Rpc.AspNetCore.Tests.Support;

namespace Ocpp.Rpc.AspNetCore.Tests.Policies;

// A CSMS on real Kestrel, its options bound from configuration as an application binds them, answering
// BootNotification by the identity's prefix (acc-, pend-, rej-) and a few other actions with fixed replies.
internal static class PolicyCsms
{
    public static readonly string[] Versions = [OcppProtocols.Ocpp16, OcppProtocols.Ocpp201, OcppProtocols.Ocpp21];

    public static TheoryData<string> EachVersion => [.. Versions];

    public static async Task<HostedApp> StartAsync(Dictionary<string, string?> settings, Action<IOcppServerBuilder>? more = null, Action<WebApplicationBuilder>? services = null)
    {
        HostedApp host = await HostedApp.StartAsync(builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            IOcppServerBuilder ocpp = builder.Services.AddOcppServer(builder.Configuration.GetSection("Ocpp"));
            more?.Invoke(ocpp);
            services?.Invoke(builder);
        });
        AnswerAll(host.Server);
        return host;
    }

    public static void AnswerAll(OcppServer server)
    {
        server.Handle("BootNotification", ctx =>
        {
            string status = ctx.Identity!.StartsWith("acc-", StringComparison.Ordinal) ? "Accepted"
                : ctx.Identity.StartsWith("pend-", StringComparison.Ordinal) ? "Pending"
                : "Rejected";
            return Reply($$"""{"status":"{{status}}","interval":300,"currentTime":"2025-01-01T00:00:00Z"}""");
        });
        server.Handle("Heartbeat", _ => Reply("""{"currentTime":"2025-01-01T00:00:00Z"}"""));
        server.Handle("Authorize", _ => Reply("""{"idTagInfo":{"status":"Accepted"},"idTokenInfo":{"status":"Accepted"}}"""));
        server.Handle("StatusNotification", _ => Reply("{}"));
    }

    public static ValueTask<OcppReply> Reply(string json) => new(OcppPayload.FromJson(json));

    public static OcppPayload BootPayload(string protocol) => OcppPayload.FromJson(protocol == OcppProtocols.Ocpp16
        ? """{"chargePointVendor":"Acme","chargePointModel":"X1"}"""
        : """{"reason":"PowerUp","chargingStation":{"vendorName":"Acme","model":"X1"}}""");

    public static OcppPayload AuthorizePayload(string protocol) => OcppPayload.FromJson(protocol == OcppProtocols.Ocpp16
        ? """{"idTag":"TAG-SECRET-1"}"""
        : """{"idToken":{"idToken":"TAG-SECRET-1","type":"ISO14443"}}""");

    public static Task<OcppConnection> ConnectAsync(HostedApp host, string identity, string protocol, TimeSpan? callTimeout = null, int concurrency = 1) =>
        Station.ConnectAsync(host.Url(identity), [protocol], options: OcppConnectionOptions.Default with { CallTimeout = callTimeout ?? TimeSpan.FromSeconds(10), CallConcurrency = concurrency });
}

using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Ocpp.Rpc.Samples.AspNetCsms;

// A CSMS the ASP.NET Core way. The block between the README markers is the README's "In ASP.NET Core" example,
// word for word (a test in tests/Ocpp.Rpc.Samples.Tests compares them).
internal static class AspNetCsmsApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // README:begin
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddSingleton<StationDirectory>();            // what the CSMS knows, shared
        builder.Services.AddScoped<StationSession>();                 // a unit of work per call, like a DbContext
        builder.Services.AddOcppServer(builder.Configuration.GetSection("Ocpp"))   // appsettings.json "Ocpp": { ... }
            .AddHandler<BootHandlers>()                               // IOcppHandler<V16.BootNotificationRequest, ...> and V201's
            .AddHandler<HeartbeatHandlers>()
            .AddCallFilter<BootGate>()                                // SecurityError until the station has booted
            .AddHealthChecks();                                       // listening, connections vs MaxConnections (, Redis)
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapOcpp("/ocpp");                                         // ws(s)://host/ocpp/<identity>
        app.MapHealthChecks("/health");
        app.MapGet("/stations", (StationDirectory stations) => stations.List());
        // README:end
        return app;
    }
}

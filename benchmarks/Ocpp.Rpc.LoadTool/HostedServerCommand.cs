using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Messages.V16;

namespace Ocpp.Rpc.LoadTool;

/// <summary>
/// Issue 14's throughput question on the whole system: the ASP.NET Core way (<c>AddOcppServer</c>, <c>MapOcpp</c> on
/// Kestrel) answering the 1.6 Heartbeat either with a plain typed delegate (default) or, with <c>--di</c>, with a
/// handler class resolved from a new DI scope per call (taking a scoped service) behind two empty call filters. Both
/// answer the current time; the difference between the two runs is what DI handlers and filters cost.
/// </summary>
internal static class HostedServerCommand
{
    public static async Task RunAsync(Args args, CancellationToken stop)
    {
        int port = args.Int("port", 9220);
        bool di = args.Flag("di");

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        IOcppServerBuilder ocpp = builder.Services.AddOcppServer(o => o with
        {
            Protocols = [OcppProtocols.Ocpp16],
            MaxConnections = 1_000_000,
            // A station may keep many calls in flight here (the load client's window): let them run concurrently.
            Connection = o.Connection with { MaxConcurrentHandlers = 4096 },
        });
        if (di)
        {
            builder.Services.AddScoped<Session>();
            ocpp.AddHandler<HeartbeatHandler, HeartbeatRequest, HeartbeatResponse>()
                .AddCallFilter<EmptyFilter>()
                .AddCallFilter(new EmptyFilter());
        }

        await using WebApplication app = builder.Build();
        app.MapOcpp("/ocpp");
        await app.StartAsync(stop);
        if (!di)
        {
            app.Services.GetRequiredService<OcppServer>().Handle<HeartbeatRequest, HeartbeatResponse>((_, _) => new HeartbeatResponse { CurrentTime = DateTimeOffset.UtcNow });
        }

        Console.WriteLine(JsonSerializer.Serialize(new { listening = port, path = "/ocpp", hosted = true, di, gcServer = System.Runtime.GCSettings.IsServerGC }));
        Console.Out.Flush();
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
        }

        await app.StopAsync(CancellationToken.None);
    }

    /// <summary>A scoped service, as a DbContext would be: one per call, disposed after it.</summary>
    internal sealed class Session : IDisposable
    {
        public DateTimeOffset Now() => DateTimeOffset.UtcNow;

        public void Dispose()
        {
        }
    }

    internal sealed class HeartbeatHandler(Session session) : IOcppHandler<HeartbeatRequest, HeartbeatResponse>
    {
        public ValueTask<HeartbeatResponse> HandleAsync(HeartbeatRequest request, OcppCallContext context) =>
            ValueTask.FromResult(new HeartbeatResponse { CurrentTime = session.Now() });
    }

    internal sealed class EmptyFilter : IOcppCallFilter
    {
        public ValueTask<OcppReply> InvokeAsync(OcppCallContext context, OcppCallHandler next) => next(context);
    }
}

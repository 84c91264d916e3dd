using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ocpp.Rpc.AspNetCore.Tests.Support;

/// <summary>A real ASP.NET Core application on Kestrel (loopback, port 0) set up the way an application does it.</summary>
internal sealed class HostedApp : IAsyncDisposable
{
    private HostedApp(WebApplication app, int port)
    {
        App = app;
        Port = port;
    }

    public WebApplication App { get; }

    public int Port { get; }

    public OcppServer Server => App.Services.GetRequiredService<OcppServer>();

    public Uri Url(string identity) => new($"ws://127.0.0.1:{Port}/ocpp/{identity}");

    public Uri Http(string path) => new($"http://127.0.0.1:{Port}{path}");

    /// <summary>Builds the application (services first, then endpoints) without starting it.</summary>
    public static WebApplication Build(Action<WebApplicationBuilder> services, Action<WebApplication>? endpoints = null, WebApplicationOptions? options = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(options ?? new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        services(builder);
        WebApplication app = builder.Build();
        if (endpoints is null)
        {
            app.MapOcpp("/ocpp");
        }
        else
        {
            endpoints(app);
        }

        return app;
    }

    public static async Task<HostedApp> StartAsync(Action<WebApplicationBuilder> services, Action<WebApplication>? endpoints = null, WebApplicationOptions? options = null)
    {
        WebApplication app = Build(services, endpoints, options);
        try
        {
            await app.StartAsync().WaitAsync(Await.Timeout);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        int port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return new HostedApp(app, port);
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}

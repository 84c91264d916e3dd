using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Client;

namespace Ocpp.Rpc.Redis.Tests;

/// <summary>
/// The deployment shape from the README for tests: ASP.NET Core nodes with <c>AddOcppServer().AddRedisClustering()</c>
/// and <c>MapOcpp("/ocpp")</c> on Kestrel port 0, sharing one prefix on a real redis-server, and real
/// <see cref="OcppClient"/> stations. Everything started here is disposed with it, last first.
/// </summary>
public sealed class HostedClusterNodes(string redisConfiguration, string prefix) : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    /// <summary>The key prefix every node uses.</summary>
    public string Prefix => prefix;

    /// <summary>
    /// Starts a node; <paramref name="options"/> shapes its server options, <paramref name="more"/> its services,
    /// <paramref name="cluster"/> its cluster options.
    /// </summary>
    public async Task<HostedNode> StartNodeAsync(Func<OcppServerOptions, OcppServerOptions>? options = null, Action<IOcppServerBuilder>? more = null, Func<RedisClusterOptions, RedisClusterOptions>? cluster = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        IOcppServerBuilder ocpp = builder.Services.AddOcppServer(o => options?.Invoke(o) ?? o)
            .AddRedisClustering(_ => cluster?.Invoke(TestOptions.Fast(redisConfiguration, prefix)) ?? TestOptions.Fast(redisConfiguration, prefix));
        more?.Invoke(ocpp);
        WebApplication app = builder.Build();
        app.MapOcpp("/ocpp");
        await app.StartAsync();
        _owned.Add(app);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HostedNode(app, app.Services.GetRequiredService<OcppServer>(), new UriBuilder(address) { Scheme = "ws", Path = "/ocpp" }.Uri);
    }

    /// <summary>Connects a station (no reconnects) to a node; <paramref name="setup"/> registers its handlers first.</summary>
    public async Task<OcppClient> ConnectAsync(Uri endpoint, string identity, string protocol, TimeSpan? callTimeout = null, Action<OcppClient>? setup = null)
    {
        var client = new OcppClient(new OcppClientOptions
        {
            Endpoint = endpoint,
            Identity = identity,
            Protocols = [protocol],
            Reconnect = OcppReconnectOptions.Disabled,
            Connection = OcppConnectionOptions.Default with { CallTimeout = callTimeout ?? TimeSpan.FromMilliseconds(800) },
        });
        setup?.Invoke(client);
        await client.ConnectAsync();
        _owned.Add(client);
        return client;
    }

    /// <summary>Stops every node and station.</summary>
    public async ValueTask DisposeAsync()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }
    }
}

/// <summary>One started node.</summary>
/// <param name="App">The application.</param>
/// <param name="Server">Its OCPP server.</param>
/// <param name="Endpoint">Its OCPP endpoint (<c>ws://127.0.0.1:port/ocpp</c>).</param>
public sealed record HostedNode(WebApplication App, OcppServer Server, Uri Endpoint);

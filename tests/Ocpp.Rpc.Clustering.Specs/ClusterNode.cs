using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ocpp.Rpc.Clustering;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.Clustering.Specs;

/// <summary>
/// One server node for the spec suite: Kestrel on a loopback port, accepting stations at <c>/ocpp/{identity}</c> over
/// real WebSockets and registering each connection in its <see cref="IOcppCluster"/>.
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ClusterNode(WebApplication app, IOcppCluster cluster, Uri endpoint)
    {
        _app = app;
        Cluster = cluster;
        Endpoint = endpoint;
    }

    public IOcppCluster Cluster { get; }

    /// <summary>The base URL stations append their identity to.</summary>
    public Uri Endpoint { get; }

    public static async Task<ClusterNode> StartAsync(IOcppCluster cluster, int port = 0)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        WebApplication app = builder.Build();
        app.UseWebSockets();
        app.Map("/ocpp/{identity}", async (HttpContext http, string identity) =>
        {
            if (!http.WebSockets.IsWebSocketRequest)
            {
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            string? protocol = http.WebSockets.WebSocketRequestedProtocols.FirstOrDefault(OcppProtocols.All.Contains);
            using WebSocket socket = await http.WebSockets.AcceptWebSocketAsync(protocol);
            await using var connection = new OcppConnection(new WebSocketTransport(socket, new WebSocketTransportOptions { OwnsSocket = false }), identity: identity);
            connection.Start();
            await cluster.AddLocalAsync(connection);
            try
            {
                await connection.Completion;
            }
            finally
            {
                await cluster.RemoveLocalAsync(connection);
            }
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new UriBuilder(address) { Scheme = "ws", Path = "/ocpp" }.Uri;
        return new ClusterNode(app, cluster, uri);
    }

    /// <summary>Stops the node abruptly-ish: stations' sockets are dropped with the host.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (OcppConnection connection in Cluster.LocalConnections)
        {
            await connection.CloseAsync(new OcppCloseOptions { Force = true });
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}

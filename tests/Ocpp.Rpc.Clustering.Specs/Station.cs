using System.Net.WebSockets;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.Clustering.Specs;

/// <summary>A charge point on a real <see cref="ClientWebSocket"/>, with handlers registered before it starts reading.</summary>
public sealed class Station : IAsyncDisposable
{
    private Station(OcppConnection connection) => Connection = connection;

    public OcppConnection Connection { get; }

    public static Task<Station> ConnectAsync(ClusterNode node, string identity, Action<OcppConnection>? handlers = null, string protocol = OcppProtocols.Ocpp16) =>
        ConnectAsync(node.Endpoint, identity, handlers, protocol);

    /// <summary>Connects to a node by its endpoint (e.g. one running in a child process).</summary>
    public static async Task<Station> ConnectAsync(Uri nodeEndpoint, string identity, Action<OcppConnection>? handlers = null, string protocol = OcppProtocols.Ocpp16)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(protocol);
        await socket.ConnectAsync(new Uri($"{nodeEndpoint}/{Uri.EscapeDataString(identity)}"), CancellationToken.None);
        var connection = new OcppConnection(new WebSocketTransport(socket), identity: identity);
        handlers?.Invoke(connection);
        connection.Start();
        return new Station(connection);
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}

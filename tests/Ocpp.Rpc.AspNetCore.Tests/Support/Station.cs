using System.Net.WebSockets;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.AspNetCore.Tests.Support;

/// <summary>A real station: a <see cref="ClientWebSocket"/> wrapped in an <see cref="OcppConnection"/>.</summary>
internal static class Station
{
    public static async Task<ClientWebSocket> ConnectSocketAsync(Uri url, string[]? protocols = null, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        foreach (string protocol in protocols ?? [OcppProtocols.Ocpp16])
        {
            socket.Options.AddSubProtocol(protocol);
        }

        configure?.Invoke(socket.Options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await socket.ConnectAsync(url, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return socket;
    }

    public static async Task<OcppConnection> ConnectAsync(Uri url, string[]? protocols = null, Action<ClientWebSocketOptions>? configure = null, Action<OcppConnection>? setup = null, OcppConnectionOptions? options = null)
    {
        ClientWebSocket socket = await ConnectSocketAsync(url, protocols, configure);
        var connection = new OcppConnection(new WebSocketTransport(socket), options);
        setup?.Invoke(connection);
        connection.Start();
        return connection;
    }

    /// <summary>Connects and expects the server to refuse the upgrade with an HTTP status.</summary>
    public static async Task<int> ExpectRejectedAsync(Uri url, string[]? protocols = null, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (string protocol in protocols ?? [OcppProtocols.Ocpp16])
        {
            socket.Options.AddSubProtocol(protocol);
        }

        configure?.Invoke(socket.Options);
        using (socket)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            Func<Task> connect = () => socket.ConnectAsync(url, timeout.Token);
            await connect.Should().ThrowAsync<WebSocketException>();
            return (int)socket.HttpStatusCode;
        }
    }

    public static void BasicAuth(ClientWebSocketOptions options, string user, string password) =>
        BasicAuth(options, System.Text.Encoding.UTF8.GetBytes(user + ":" + password));

    public static void BasicAuth(ClientWebSocketOptions options, byte[] credentials) =>
        options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(credentials));
}

using System.Net;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Client;

namespace Ocpp.Rpc.Hardening.Tests.Support;

internal static class Servers
{
    /// <summary>A standalone <see cref="OcppServer"/> on 127.0.0.1 (port 0 picks a free one).</summary>
    public static async Task<OcppServer> StartAsync(OcppServerOptions options, int port = 0, Action<OcppServer>? setup = null)
    {
        var server = new OcppServer(options);
        setup?.Invoke(server);
        await server.ListenAsync(port, IPAddress.Loopback);
        return server;
    }

    public static Uri Endpoint(this OcppServer server, string scheme = "ws") => new($"{scheme}://127.0.0.1:{server.Port}/ocpp");

    /// <summary>Client options for loopback tests: short timeouts and a fast, jittered back-off.</summary>
    public static OcppClientOptions Client(Uri endpoint, string identity, params string[] protocols) => OcppClientOptions.Default with
    {
        Endpoint = endpoint,
        Identity = identity,
        Protocols = protocols.Length > 0 ? protocols : [OcppProtocols.Ocpp16],
        ConnectTimeout = TimeSpan.FromSeconds(10),
        KeepAliveInterval = TimeSpan.Zero,
        Reconnect = OcppReconnectOptions.Default with { WaitMinimum = TimeSpan.FromMilliseconds(50), RandomRange = TimeSpan.FromMilliseconds(50), RepeatTimes = 2 },
        Connection = OcppConnectionOptions.Default with { CallTimeout = TimeSpan.FromSeconds(15) },
    };
}

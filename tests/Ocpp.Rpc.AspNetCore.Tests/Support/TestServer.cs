using System.Net;

namespace Ocpp.Rpc.AspNetCore.Tests.Support;

/// <summary>A real standalone <see cref="OcppServer"/> on 127.0.0.1 and a free port.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(OcppServer server, string scheme)
    {
        Server = server;
        Scheme = scheme;
    }

    public OcppServer Server { get; }

    public string Scheme { get; }

    public int Port => Server.Port!.Value;

    public static async Task<TestServer> StartAsync(OcppServerOptions? options = null, Action<OcppServer>? setup = null)
    {
        options ??= OcppServerOptions.Default;
        var server = new OcppServer(options);
        setup?.Invoke(server);
        await server.ListenAsync(0, IPAddress.Loopback);
        return new TestServer(server, options.Tls is null ? "ws" : "wss");
    }

    /// <summary>The URL of an identity (already percent-encoded by the caller when needed).</summary>
    public Uri Url(string encodedIdentity, string endpoint = "/ocpp") => new($"{Scheme}://127.0.0.1:{Port}{endpoint}/{encodedIdentity}");

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.Client.Tests.Support;

/// <summary>What the test CSMS saw of one upgrade request (accepted or not).</summary>
internal sealed record Handshake(
    string RawTarget,
    string Identity,
    IReadOnlyList<string> OfferedProtocols,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyDictionary<string, string> Query,
    string? Authorization,
    string? ClientCertificateSubject);

/// <summary>One accepted connection at the test CSMS.</summary>
internal sealed record Session(Handshake Handshake, OcppConnection Connection);

/// <summary>How the test CSMS behaves.</summary>
internal sealed record TestCsmsOptions
{
    /// <summary>Subprotocols the server supports; it picks the client's most preferred one among them.</summary>
    public IReadOnlyList<string> Protocols { get; init; } = [OcppProtocols.Ocpp21, OcppProtocols.Ocpp201, OcppProtocols.Ocpp16];

    /// <summary>Returns an HTTP status to reject the handshake with, or null to accept.</summary>
    public Func<Handshake, int?>? Reject { get; init; }

    /// <summary>TLS server certificate; null serves plain ws://.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>TLS versions the server allows (None: the system's choice).</summary>
    public System.Security.Authentication.SslProtocols SslProtocols { get; init; }

    /// <summary>Whether the server accepts permessage-deflate when the client asks for it.</summary>
    public bool Compression { get; init; }

    /// <summary>Fixed port (for restarts); 0 picks a free one.</summary>
    public int Port { get; init; }
}

/// <summary>
/// A minimal CSMS for client tests: a real Kestrel on loopback with a raw WebSocket endpoint at <c>/ocpp/{identity}</c>
/// that records handshakes and wraps accepted sockets in <see cref="OcppConnection"/>s sharing <see cref="Handlers"/>.
/// </summary>
internal sealed class TestCsms : IAsyncDisposable
{
    private readonly TestCsmsOptions _options;
    private readonly ConcurrentBag<OcppConnection> _live = [];
    private readonly Channel<Session> _sessions = Channel.CreateUnbounded<Session>();
    private WebApplication? _app;

    private TestCsms(TestCsmsOptions options)
    {
        _options = options;
    }

    public OcppHandlerRegistry Handlers { get; } = new();

    public ConcurrentQueue<Handshake> Handshakes { get; } = new();

    public int Port { get; private set; }

    public Uri Endpoint => new($"{(_options.Certificate is null ? "ws" : "wss")}://127.0.0.1:{Port}/ocpp");

    public static async Task<TestCsms> StartAsync(TestCsmsOptions? options = null)
    {
        var csms = new TestCsms(options ?? new TestCsmsOptions());
        await csms.StartAppAsync(csms._options.Port);
        return csms;
    }

    /// <summary>The next accepted connection.</summary>
    public async Task<Session> NextSessionAsync(int timeoutMs = 10_000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        return await _sessions.Reader.ReadAsync(cts.Token);
    }

    /// <summary>Drops every live connection without a close frame and stops listening.</summary>
    public async Task StopAsync()
    {
        WebApplication? app = _app;
        _app = null;

        // Stop listening first (so nothing reconnects meanwhile), then drop the live links Kestrel waits for.
        Task stopping = app?.StopAsync() ?? Task.CompletedTask;
        foreach (OcppConnection connection in _live)
        {
            await connection.CloseAsync(new OcppCloseOptions { Force = true });
        }

        await stopping;
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>Listens again on the same port.</summary>
    public Task RestartAsync() => StartAppAsync(Port);

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task StartAppAsync(int port)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen =>
        {
            if (_options.Certificate is { } certificate)
            {
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = certificate,
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = (_, _, _) => true,
                    SslProtocols = _options.SslProtocols,
                });
            }
        }));
        WebApplication app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Map("/ocpp/{**identity}", AcceptAsync);
        await app.StartAsync();
        Port = new Uri(app.Urls.First()).Port;
        _app = app;
    }

    private async Task AcceptAsync(HttpContext context)
    {
        string raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        string path = raw.Split('?')[0];
        string identity = Uri.UnescapeDataString(path["/ocpp/".Length..]);
        X509Certificate2? certificate = context.Connection.ClientCertificate ?? await context.Connection.GetClientCertificateAsync();
        var handshake = new Handshake(
            raw,
            identity,
            context.WebSockets.WebSocketRequestedProtocols.ToList(),
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()),
            context.Request.Headers.Authorization.FirstOrDefault(),
            certificate?.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        Handshakes.Enqueue(handshake);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (_options.Reject?.Invoke(handshake) is int status)
        {
            context.Response.StatusCode = status;
            return;
        }

        string? protocol = handshake.OfferedProtocols.FirstOrDefault(p => _options.Protocols.Contains(p));
        WebSocket socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = protocol, DangerousEnableCompression = _options.Compression });
        if (protocol is null)
        {
            // OCPP-J: no agreed subprotocol -> complete the handshake without one and close at once.
            await socket.CloseOutputAsync(WebSocketCloseStatus.ProtocolError, "No subprotocol agreed", CancellationToken.None);
            try
            {
                using var wait = new CancellationTokenSource(2000);
                await socket.ReceiveAsync(new byte[16], wait.Token);
            }
            catch (Exception)
            {
                // The client drops the link: fine.
            }

            return;
        }

        var connection = new OcppConnection(new WebSocketTransport(socket), new OcppConnectionOptions { CloseTimeout = TimeSpan.FromSeconds(1) }, identity, Handlers);
        _live.Add(connection);
        connection.Start();
        _sessions.Writer.TryWrite(new Session(handshake, connection));
        await connection.Completion;
    }
}

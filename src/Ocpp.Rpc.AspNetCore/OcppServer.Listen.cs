using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ocpp.Rpc.AspNetCore.Internal;

namespace Ocpp.Rpc.AspNetCore;

// Standalone hosting: a minimal Kestrel application that sends every request to the handshake.
public sealed partial class OcppServer
{
    private WebApplication? _app;

    /// <summary>The port bound by <see cref="ListenAsync"/> (useful with port 0); <see langword="null"/> before.</summary>
    public int? Port { get; private set; }

    /// <summary>The addresses bound by <see cref="ListenAsync"/>, e.g. <c>http://127.0.0.1:49152</c>.</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    /// <summary>
    /// Starts a Kestrel server of its own that accepts stations on any path (the identity is the last path segment;
    /// the endpoint path is given to <see cref="OcppServerOptions.Authenticate"/>). Uses TLS when
    /// <see cref="OcppServerOptions.Tls"/> is set (required for profiles 2 and 3), and bounds the time to a
    /// completed upgrade by <see cref="OcppServerOptions.HandshakeTimeout"/>.
    /// </summary>
    /// <param name="port">The TCP port; 0 picks a free one (see <see cref="Port"/>).</param>
    /// <param name="address">The local address; <see langword="null"/> listens on every interface (IPv4 and IPv6).</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <exception cref="InvalidOperationException">Already listening, or profile 2/3 without TLS settings.</exception>
    public async Task ListenAsync(int port, IPAddress? address = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        if (_app is not null)
        {
            throw new InvalidOperationException("The server is already listening.");
        }

        if (Options.SecurityProfile >= OcppSecurityProfile.TlsWithBasicAuth && Options.Tls is null)
        {
            throw new InvalidOperationException($"Security profile {(int)Options.SecurityProfile} needs OcppServerOptions.Tls.");
        }

        WebApplication app = BuildApplication(port, address);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _app = app;
        Addresses = [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];
        Port = Addresses.Count > 0 ? new Uri(Addresses[0]).Port : null;
        ServerLog.Listening(_logger, string.Join(", ", Addresses));
        if (Options.PreferInlineScheduling && Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == "1")
        {
            ServerLog.InlineCompletions(_logger);
        }
    }

    private WebApplication BuildApplication(int port, IPAddress? address)
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.RequestHeadersTimeout = Options.HandshakeTimeout;
            kestrel.Limits.KeepAliveTimeout = Options.HandshakeTimeout;
            Action<ListenOptions> configure = listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                if (Options.Tls is { } tls)
                {
                    listen.UseHttps(https => tls.ApplyTo(https, Options.SecurityProfile, Options.HandshakeTimeout));
                }
            };
            if (address is null)
            {
                kestrel.ListenAnyIP(port, configure);
            }
            else
            {
                kestrel.Listen(address, port, configure);
            }
        });
        builder.Services.Configure<SocketTransportOptions>(sockets => sockets.UnsafePreferInlineScheduling = Options.PreferInlineScheduling);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = Options.ShutdownTimeout + Options.HandshakeTimeout);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        WebApplication app = builder.Build();
        app.UseWebSockets();
        app.Run(HandleRequestAsync);
        return app;
    }
}

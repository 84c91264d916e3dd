using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ocpp.Rpc.Redis.Tests;

/// <summary>
/// A machine in the middle for one connection: terminates TLS with its own self-signed certificate, opens TLS to the
/// target (accepting any certificate) and copies bytes both ways.
/// </summary>
public sealed class TlsInterceptor : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly X509Certificate2 _certificate;
    private readonly Task _relay;
    private volatile bool _relayed;

    private TlsInterceptor(IPEndPoint target)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 ephemeral = new CertificateRequest("CN=ocpp-node-link", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _relay = RelayAsync(target);
    }

    /// <summary>Where the dialer connects.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Whether the interceptor completed TLS on both sides and copied bytes.</summary>
    public bool Relayed => _relayed;

    public static TlsInterceptor Start(IPEndPoint target) => new(target);

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _relay.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or TimeoutException or System.Security.Authentication.AuthenticationException)
        {
        }

        _certificate.Dispose();
    }

    private async Task RelayAsync(IPEndPoint target)
    {
        using Socket inbound = await _listener.AcceptSocketAsync();
        await using var front = new SslStream(new NetworkStream(inbound, ownsSocket: false));
        await front.AuthenticateAsServerAsync(_certificate);
        using var outbound = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await outbound.ConnectAsync(target);
        await using var back = new SslStream(new NetworkStream(outbound, ownsSocket: false), false, (_, _, _, _) => true);
        await back.AuthenticateAsClientAsync("ocpp-node-link");
        _relayed = true;
        await Task.WhenAny(front.CopyToAsync(back), back.CopyToAsync(front));
    }
}

using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Ocpp.Rpc.AspNetCore.Tests.Support;

namespace Ocpp.Rpc.AspNetCore.Tests;

// Security profiles 2 and 3 over real TLS with certificates generated here (OCTT: TLS server certificate; TLS
// version too low; client certificate valid / invalid).
public class TlsTests
{
    private const string Password = "profile-2-password-0001";
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string RsaPublicKeyOid = "1.2.840.113549.1.1.1";

    private static OcppServerOptions Profile2 => OcppServerOptions.Default with
    {
        SecurityProfile = OcppSecurityProfile.TlsWithBasicAuth,
        Tls = TestCertificates.ServerTls(),
        Authenticate = (h, _) => ValueTask.FromResult(h.PasswordEquals(Password) ? OcppAuthResult.Accept() : OcppAuthResult.Reject()),
    };

    private static OcppServerOptions Profile3 => OcppServerOptions.Default with
    {
        SecurityProfile = OcppSecurityProfile.MutualTls,
        Tls = TestCertificates.ServerTls(),
    };

    [Fact]
    public async Task Profile_2_station_validates_the_server_certificate_against_the_test_ca_and_authenticates()
    {
        await using TestServer host = await TestServer.StartAsync(Profile2);
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-2"), configure: o =>
        {
            o.RemoteCertificateValidationCallback = TestCertificates.ValidateServer;
            Station.BasicAuth(o, "CP-2", Password);
        });
        station.State.Should().Be(OcppConnectionState.Open);
    }

    [Fact]
    public async Task Station_that_only_trusts_the_system_store_refuses_the_server()
    {
        await using TestServer host = await TestServer.StartAsync(Profile2);
        Func<Task> connect = () => Station.ConnectSocketAsync(host.Url("CP-2"), configure: o => Station.BasicAuth(o, "CP-2", Password));
        await connect.Should().ThrowAsync<WebSocketException>();
    }

    [Fact]
    public async Task Profile_2_without_credentials_is_rejected_401_and_with_a_wrong_password_too()
    {
        await using TestServer host = await TestServer.StartAsync(Profile2);
        (await Station.ExpectRejectedAsync(host.Url("CP-2"), configure: o => o.RemoteCertificateValidationCallback = TestCertificates.ValidateServer)).Should().Be(401);
        (await Station.ExpectRejectedAsync(host.Url("CP-2"), configure: o =>
        {
            o.RemoteCertificateValidationCallback = TestCertificates.ValidateServer;
            Station.BasicAuth(o, "CP-2", "not-the-password-at-all");
        })).Should().Be(401);
    }

    [Fact]
    public async Task Plain_websocket_to_a_tls_port_does_not_connect()
    {
        await using TestServer host = await TestServer.StartAsync(Profile2);
        var plain = new Uri($"ws://127.0.0.1:{host.Port}/ocpp/CP-2");
        Func<Task> connect = () => Station.ConnectSocketAsync(plain, configure: o => Station.BasicAuth(o, "CP-2", Password));
        await connect.Should().ThrowAsync<WebSocketException>();
        host.Server.ConnectionCount.Should().Be(0);
    }

#pragma warning disable SYSLIB0039 // TLS 1.0/1.1 are obsolete: that is what this test checks.
    [Theory]
    [InlineData(SslProtocols.Tls11)]
    [InlineData(SslProtocols.Tls)]
    public async Task Tls_below_1_2_is_refused(SslProtocols tooOld)
#pragma warning restore SYSLIB0039
    {
        await using TestServer host = await TestServer.StartAsync(Profile2);

        // Depending on the platform's OpenSSL policy the client may not even offer it; the handshake fails either way.
        Func<Task> handshake = () => TlsHandshakeAsync(host.Port, "localhost", tooOld);
        await handshake.Should().ThrowAsync<Exception>();
        (await TlsHandshakeAsync(host.Port, "localhost", SslProtocols.Tls12)).SslProtocol.Should().Be(SslProtocols.Tls12);
    }

    [Fact]
    public async Task Ecdsa_server_certificate_is_served()
    {
        await using TestServer host = await TestServer.StartAsync(Profile2 with { Tls = TestCertificates.ServerTls(TestCertificates.EcdsaServer) });
        TlsInfo info = await TlsHandshakeAsync(host.Port, "localhost", SslProtocols.Tls12);
        info.KeyAlgorithm.Should().Be(EcPublicKeyOid);
        info.Trusted.Should().BeTrue();
    }

    [Fact]
    public async Task Certificate_selector_serves_rsa_and_ecdsa_certificates_by_host_name()
    {
        OcppTlsOptions tls = TestCertificates.ServerTls() with
        {
            ServerCertificateSelector = name => name == "ecdsa.localhost" ? TestCertificates.EcdsaServer : TestCertificates.RsaServer,
        };
        await using TestServer host = await TestServer.StartAsync(Profile2 with { Tls = tls });
        (await TlsHandshakeAsync(host.Port, "ecdsa.localhost", SslProtocols.Tls12)).KeyAlgorithm.Should().Be(EcPublicKeyOid);
        (await TlsHandshakeAsync(host.Port, "localhost", SslProtocols.Tls13)).KeyAlgorithm.Should().Be(RsaPublicKeyOid);
    }

    [Fact]
    public async Task Cipher_suites_can_be_limited_to_aes_gcm()
    {
        OcppTlsOptions tls = TestCertificates.ServerTls() with
        {
            CipherSuites =
            [
                TlsCipherSuite.TLS_AES_128_GCM_SHA256,
                TlsCipherSuite.TLS_AES_256_GCM_SHA384,
                TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            ],
        };
        await using TestServer host = await TestServer.StartAsync(Profile2 with { Tls = tls });
        (await TlsHandshakeAsync(host.Port, "localhost", SslProtocols.Tls12)).CipherSuite.ToString().Should().Contain("_GCM_");
        (await TlsHandshakeAsync(host.Port, "localhost", SslProtocols.Tls13)).CipherSuite.ToString().Should().Contain("_GCM_");
    }

    [Fact]
    public async Task Profile_3_accepts_a_certificate_from_the_ca_whose_cn_is_the_identity()
    {
        X509Certificate2? seen = null;
        await using TestServer host = await TestServer.StartAsync(Profile3 with
        {
            Authenticate = (h, _) =>
            {
                seen = h.ClientCertificate;
                return ValueTask.FromResult(OcppAuthResult.Accept());
            },
        });
        using X509Certificate2 cert = TestCertificates.Station("CP-3");
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-3"), configure: o => WithClientCertificate(o, cert));
        station.State.Should().Be(OcppConnectionState.Open);
        seen!.Thumbprint.Should().Be(cert.Thumbprint);
    }

    [Fact]
    public async Task Profile_3_refuses_a_certificate_from_another_ca_during_tls()
    {
        await using TestServer host = await TestServer.StartAsync(Profile3);
        using X509Certificate2 cert = TestCertificates.Station("CP-3", TestCertificates.WrongCa);
        Func<Task> connect = () => Station.ConnectSocketAsync(host.Url("CP-3"), configure: o => WithClientCertificate(o, cert));
        await connect.Should().ThrowAsync<WebSocketException>();
        host.Server.ConnectionCount.Should().Be(0);
    }

    [Fact]
    public async Task Profile_3_refuses_a_certificate_whose_cn_is_another_identity_with_403()
    {
        await using TestServer host = await TestServer.StartAsync(Profile3);
        using X509Certificate2 cert = TestCertificates.Station("CP-OTHER");
        (await Station.ExpectRejectedAsync(host.Url("CP-3"), configure: o => WithClientCertificate(o, cert))).Should().Be(403);
    }

    [Fact]
    public async Task Profile_3_refuses_a_station_without_a_certificate()
    {
        await using TestServer host = await TestServer.StartAsync(Profile3);
        Func<Task> connect = () => Station.ConnectSocketAsync(host.Url("CP-3"), configure: o => o.RemoteCertificateValidationCallback = TestCertificates.ValidateServer);
        await connect.Should().ThrowAsync<WebSocketException>();
        host.Server.ConnectionCount.Should().Be(0);
    }

    private static void WithClientCertificate(ClientWebSocketOptions options, X509Certificate2 certificate)
    {
        options.RemoteCertificateValidationCallback = TestCertificates.ValidateServer;
        options.ClientCertificates = [certificate];
    }

    private static async Task<TlsInfo> TlsHandshakeAsync(int port, string host, SslProtocols protocols)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        await using var tls = new SslStream(tcp.GetStream());
        bool trusted = false;
        using var timeout = new CancellationTokenSource(Await.Timeout);
        await tls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = host,
                EnabledSslProtocols = protocols,
                RemoteCertificateValidationCallback = (s, c, ch, e) =>
                {
                    trusted = TestCertificates.ValidateServer(s, c, ch, e & ~SslPolicyErrors.RemoteCertificateNameMismatch);
                    return true;
                },
            },
            timeout.Token);
        using var certificate = new X509Certificate2(tls.RemoteCertificate!);
        return new TlsInfo(tls.SslProtocol, certificate.PublicKey.Oid.Value!, trusted, tls.NegotiatedCipherSuite);
    }

    private sealed record TlsInfo(SslProtocols SslProtocol, string KeyAlgorithm, bool Trusted, TlsCipherSuite CipherSuite);
}

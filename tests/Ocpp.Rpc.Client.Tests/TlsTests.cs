using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Ocpp.Rpc.Client.Tests.Support;

namespace Ocpp.Rpc.Client.Tests;

/// <summary>Security profiles 2 and 3 against a Kestrel with a certificate from a CA generated in the test.</summary>
public sealed class TlsTests : IClassFixture<TlsTests.Pki>
{
    private readonly Pki _pki;

    public TlsTests(Pki pki)
    {
        _pki = pki;
    }

    [Fact]
    public async Task Profile_2_trusts_only_the_configured_root_and_sends_basic_auth()
    {
        await using TestCsms csms = await TestCsms.StartAsync(new TestCsmsOptions { Certificate = _pki.Server });
        OcppClientOptions options = Clients.For(csms.Endpoint, "CP-TLS").WithPassword("0123456789abcdef") with
        {
            Tls = new OcppClientTlsOptions { TrustedRootCertificates = [_pki.Ca] },
        };
        await using var client = new OcppClient(options);

        await client.ConnectAsync();

        Handshake handshake = (await csms.NextSessionAsync()).Handshake;
        client.Uri.Scheme.Should().Be("wss");
        handshake.Identity.Should().Be("CP-TLS");
        handshake.Authorization.Should().NotBeNull();
        handshake.ClientCertificateSubject.Should().BeNull();
        client.State.Should().Be(OcppClientState.Open);
    }

    [Fact]
    public async Task A_server_certificate_from_another_ca_is_refused()
    {
        await using TestCsms csms = await TestCsms.StartAsync(new TestCsmsOptions { Certificate = _pki.Server });
        await using var client = new OcppClient(Clients.For(csms.Endpoint) with { Tls = new OcppClientTlsOptions { TrustedRootCertificates = [_pki.OtherCa] } });

        OcppConnectException error = (await FluentActions.Awaiting(() => client.ConnectAsync()).Should().ThrowAsync<OcppConnectException>()).Which;

        error.Failure.Should().Be(OcppConnectFailure.Tls, error.ToString());
        csms.Handshakes.Should().BeEmpty("the HTTP upgrade never happened");
    }

    [Fact]
    public async Task Without_a_trusted_root_the_system_store_refuses_the_test_ca()
    {
        await using TestCsms csms = await TestCsms.StartAsync(new TestCsmsOptions { Certificate = _pki.Server });
        await using var client = new OcppClient(Clients.For(csms.Endpoint));

        OcppConnectException error = (await FluentActions.Awaiting(() => client.ConnectAsync()).Should().ThrowAsync<OcppConnectException>()).Which;

        error.Failure.Should().Be(OcppConnectFailure.Tls);
    }

    [Fact]
    public async Task A_validation_callback_replaces_certificate_checks()
    {
        await using TestCsms csms = await TestCsms.StartAsync(new TestCsmsOptions { Certificate = _pki.Server });
        string? seen = null;
        OcppClientOptions options = Clients.For(csms.Endpoint) with
        {
            Tls = new OcppClientTlsOptions
            {
                RemoteCertificateValidation = (_, certificate, _, _) =>
                {
                    seen = certificate?.Subject;
                    return true;
                },
            },
        };
        await using var client = new OcppClient(options);

        await client.ConnectAsync();

        seen.Should().Be("CN=localhost");
    }

    [Fact]
    public async Task Profile_3_presents_the_station_certificate()
    {
        await using TestCsms csms = await TestCsms.StartAsync(new TestCsmsOptions { Certificate = _pki.Server });
        OcppClientOptions options = Clients.For(csms.Endpoint, "CP-SERIAL-42") with
        {
            Tls = new OcppClientTlsOptions
            {
                TrustedRootCertificates = [_pki.Ca],
                ClientCertificate = _pki.Station,
                EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
            },
        };
        await using var client = new OcppClient(options);

        await client.ConnectAsync();

        Handshake handshake = (await csms.NextSessionAsync()).Handshake;
        handshake.ClientCertificateSubject.Should().Be("CP-SERIAL-42");
    }

    [Fact]
    public async Task A_tls_version_the_server_does_not_allow_is_a_tls_failure()
    {
        await using TestCsms csms = await TestCsms.StartAsync(new TestCsmsOptions { Certificate = _pki.Server, SslProtocols = SslProtocols.Tls13 });
        OcppClientOptions options = Clients.For(csms.Endpoint) with
        {
            Tls = new OcppClientTlsOptions { TrustedRootCertificates = [_pki.Ca], EnabledSslProtocols = SslProtocols.Tls12 },
        };
        await using var client = new OcppClient(options);

        OcppConnectException error = (await FluentActions.Awaiting(() => client.ConnectAsync()).Should().ThrowAsync<OcppConnectException>()).Which;

        error.Failure.Should().Be(OcppConnectFailure.Tls, error.ToString());
        csms.Handshakes.Should().BeEmpty();
    }

    /// <summary>One CA, a server certificate, a station certificate, and an unrelated CA, made once per class.</summary>
    public sealed class Pki : IDisposable
    {
        public Pki()
        {
            Ca = TestCertificates.CreateCa("Ocpp.Rpc Test CSMS Root");
            OtherCa = TestCertificates.CreateCa("Some Other Root");
            Server = TestCertificates.IssueServer(Ca);
            Station = TestCertificates.IssueClient(Ca, "CP-SERIAL-42");
        }

        public X509Certificate2 Ca { get; }

        public X509Certificate2 OtherCa { get; }

        public X509Certificate2 Server { get; }

        public X509Certificate2 Station { get; }

        public void Dispose()
        {
            Ca.Dispose();
            OtherCa.Dispose();
            Server.Dispose();
            Station.Dispose();
        }
    }
}

using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ocpp.Rpc.AspNetCore.Tests.Support;

namespace Ocpp.Rpc.AspNetCore.Tests;

// Mutual TLS in an application that configures Kestrel itself, with OcppTlsOptions.ApplyTo and MapOcpp.
public sealed class HostedTlsTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        var options = OcppServerOptions.Default with { SecurityProfile = OcppSecurityProfile.MutualTls, Tls = TestCertificates.ServerTls() };
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration().UseKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
            listen.UseHttps(https => options.Tls!.ApplyTo(https, options.SecurityProfile, options.HandshakeTimeout))));
        builder.Services.AddOcppServer(_ => options);
        _app = builder.Build();
        _app.MapOcpp("/ocpp");
        await _app.StartAsync();
        _port = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Station_with_a_valid_certificate_connects()
    {
        using X509Certificate2 cert = TestCertificates.Station("CP-H1");
        await using OcppConnection station = await Station.ConnectAsync(Url("CP-H1"), configure: o => Use(o, cert));
        station.State.Should().Be(OcppConnectionState.Open);
        await Await.UntilAsync(() => _app.Services.GetRequiredService<OcppServer>().TryGetConnection("CP-H1", out _));
    }

    [Fact]
    public async Task Station_whose_certificate_names_another_identity_gets_403()
    {
        using X509Certificate2 cert = TestCertificates.Station("CP-H2");
        (await Station.ExpectRejectedAsync(Url("CP-H1"), configure: o => Use(o, cert))).Should().Be(403);
    }

    [Fact]
    public async Task Station_with_a_certificate_from_another_ca_fails_tls()
    {
        using X509Certificate2 cert = TestCertificates.Station("CP-H1", TestCertificates.WrongCa);
        Func<Task> connect = () => Station.ConnectSocketAsync(Url("CP-H1"), configure: o => Use(o, cert));
        await connect.Should().ThrowAsync<WebSocketException>();
    }

    private Uri Url(string identity) => new($"wss://127.0.0.1:{_port}/ocpp/{identity}");

    private static void Use(ClientWebSocketOptions options, X509Certificate2 cert)
    {
        options.RemoteCertificateValidationCallback = TestCertificates.ValidateServer;
        options.ClientCertificates = [cert];
    }
}

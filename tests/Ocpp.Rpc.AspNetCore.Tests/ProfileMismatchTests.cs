using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ocpp.Rpc.AspNetCore.Tests.Support;

namespace Ocpp.Rpc.AspNetCore.Tests;

// A host that also serves plain HTTP must not let a station use a weaker profile than the server's (never downgrade).
public class ProfileMismatchTests
{
    [Theory]
    [InlineData(OcppSecurityProfile.TlsWithBasicAuth)]
    [InlineData(OcppSecurityProfile.MutualTls)]
    public async Task Plain_websocket_to_a_tls_profile_is_refused_403_even_with_valid_credentials(OcppSecurityProfile profile)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddOcppServer(o => o with
        {
            SecurityProfile = profile,
            Authenticate = (_, _) => ValueTask.FromResult(OcppAuthResult.Accept()),
        });
        await using WebApplication app = builder.Build();
        app.MapOcpp("/ocpp");
        await app.StartAsync();
        int port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        (await Station.ExpectRejectedAsync(new Uri($"ws://127.0.0.1:{port}/ocpp/CP-1"), configure: o => Station.BasicAuth(o, "CP-1", "any-password-at-all"))).Should().Be(403);
        await app.StopAsync();
    }

    [Fact]
    public async Task Standalone_tls_profile_without_tls_settings_refuses_to_listen()
    {
        await using var server = new OcppServer(OcppServerOptions.Default with
        {
            SecurityProfile = OcppSecurityProfile.MutualTls,
        });
        Func<Task> listen = () => server.ListenAsync(0, IPAddress.Loopback);
        await listen.Should().ThrowAsync<InvalidOperationException>().WithMessage("*Tls*");
    }
}

using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Samples.AspNetCsms;
using Ocpp.Rpc.Transport;
using V16 = Ocpp.Rpc.Messages.V16;
using V201 = Ocpp.Rpc.Messages.V201;

namespace Ocpp.Rpc.Samples.Tests;

// samples/AspNetCsms on real Kestrel with its own appsettings.json: DI handler classes per version, a scoped session per
// call, the boot gate filter, the health endpoint; and the README's ASP.NET Core example is this sample's code.
public sealed class AspNetCsmsTests
{
    private static string SampleDirectory => Path.Combine(RepoRoot(), "samples", "AspNetCsms");

    private static async Task<(WebApplication App, int Port)> StartAsync()
    {
        WebApplication app = AspNetCsmsApp.Build(["--contentRoot", SampleDirectory], builder =>
        {
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0)); // instead of appsettings.json's Urls
        });
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (app, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port);
    }

    private static async Task<OcppConnection> ConnectAsync(int port, string identity, string protocol)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(protocol);
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ocpp/{identity}"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        var connection = new OcppConnection(new WebSocketTransport(socket));
        connection.Start();
        return connection;
    }

    [Fact]
    public async Task Stations_of_both_versions_boot_through_DI_handlers_behind_the_boot_gate()
    {
        (WebApplication app, int port) = await StartAsync();
        await using (app)
        {
            app.Services.GetRequiredService<OcppServer>().Options.Protocols.Should().Equal(OcppProtocols.Ocpp201, OcppProtocols.Ocpp16);
            app.Services.GetRequiredService<OcppServer>().Options.MaxConnections.Should().Be(5000, "appsettings.json sets it");
            int disposedBefore = StationSession.Disposed;

            await using OcppConnection old = await ConnectAsync(port, "CP-16", OcppProtocols.Ocpp16);
            (await FluentActions.Awaiting(() => old.CallAsync(new V16.HeartbeatRequest())).Should().ThrowAsync<OcppSecurityErrorException>())
                .Which.Description.Should().Contain("before BootNotification");
            V16.BootNotificationResponse boot16 = await old.CallAsync(new V16.BootNotificationRequest { ChargePointVendor = "Acme", ChargePointModel = "X1" });
            boot16.Status.Should().Be(V16.RegistrationStatus.Accepted);
            await old.CallAsync(new V16.HeartbeatRequest());

            await using OcppConnection modern = await ConnectAsync(port, "CP-201", OcppProtocols.Ocpp201);
            V201.BootNotificationResponse boot201 = await modern.CallAsync(new V201.BootNotificationRequest
            {
                Reason = V201.BootReasonEnumType.PowerUp,
                ChargingStation = new V201.ChargingStationType { VendorName = "Volt", Model = "Y2" },
            });
            boot201.Status.Should().Be(V201.RegistrationStatusEnumType.Accepted);

            using var http = new HttpClient();
            JsonElement stations = JsonElement.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/stations")));
            stations.EnumerateArray().Select(s => $"{s.GetProperty("identity").GetString()} {s.GetProperty("protocol").GetString()} {s.GetProperty("vendor").GetString()} {s.GetProperty("heartbeats").GetInt32()}")
                .Should().Equal("CP-16 ocpp1.6 Acme 1", "CP-201 ocpp2.0.1 Volt 0");
            (await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/health"))).Should().Be("Healthy");

            // Three handled calls, three sessions, each disposed once its call was answered.
            (StationSession.Disposed - disposedBefore).Should().BeGreaterThanOrEqualTo(3);
        }
    }

    [Fact]
    public void The_README_ASP_NET_Core_example_is_the_sample_code()
    {
        string[] source = File.ReadAllLines(Path.Combine(SampleDirectory, "AspNetCsmsApp.cs"));
        int begin = Array.FindIndex(source, l => l.Trim() == "// README:begin");
        int end = Array.FindIndex(source, l => l.Trim() == "// README:end");
        begin.Should().BePositive();
        end.Should().BeGreaterThan(begin);
        int indent = source[begin].Length - source[begin].TrimStart().Length;
        string snippet = string.Join("\n", source[(begin + 1)..end].Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));

        string readme = File.ReadAllText(Path.Combine(RepoRoot(), "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        readme.Should().Contain("```csharp\n" + snippet + "\n```", "README.md's ASP.NET Core example must be samples/AspNetCsms/AspNetCsmsApp.cs between the README markers");
    }

    private static string RepoRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ocpp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Repository root (Ocpp.sln) not found above " + AppContext.BaseDirectory);
    }
}

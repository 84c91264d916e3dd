using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ocpp.Rpc.AspNetCore.Tests.Support;

namespace Ocpp.Rpc.AspNetCore.Tests.Hosting;

// AddOcppServer(IConfiguration): every plain setting from configuration, lists replaced (never appended), nothing
// shared mutated, bad values stopping the host's start with their key, and a second AddOcppServer configuring the same server.
public sealed class OptionsBindingTests
{
    private static readonly Dictionary<string, string?> AllSettings = new()
    {
        ["Ocpp:Protocols:0"] = "ocpp2.0.1",
        ["Ocpp:Protocols:1"] = "ocpp1.6",
        ["Ocpp:SecurityProfile"] = "None",
        ["Ocpp:RequireCertificateIdentityMatch"] = "false",
        ["Ocpp:HandshakeTimeout"] = "00:00:07",
        ["Ocpp:MaxConnections"] = "1234",
        ["Ocpp:ReplaceDuplicateConnections"] = "false",
        ["Ocpp:KeepAliveInterval"] = "00:00:20",
        ["Ocpp:KeepAliveTimeout"] = "Infinite",
        ["Ocpp:EnableCompression"] = "false",
        ["Ocpp:CompressionContextTakeover"] = "true",
        ["Ocpp:EnableCompressionForOcpp16"] = "true",
        ["Ocpp:IncompleteMessageTimeout"] = "00:00:11",
        ["Ocpp:IncompleteMessageBudget"] = "33554432",
        ["Ocpp:MaxInflatedBytesPerSecond"] = "0",
        ["Ocpp:ShutdownTimeout"] = "00:00:03",
        ["Ocpp:PreferInlineScheduling"] = "true",
        ["Ocpp:Connection:CallTimeout"] = "00:00:12",
        ["Ocpp:Connection:CallConcurrency"] = "2",
        ["Ocpp:Connection:MaxQueuedCalls"] = "50",
        ["Ocpp:Connection:MaxConcurrentHandlers"] = "4",
        ["Ocpp:Connection:MaxBadMessages"] = "",
        ["Ocpp:Connection:MaxBadMessagesPerMinute"] = "5",
        ["Ocpp:Connection:MaxPeerWarningsPerMinute"] = "none",
        ["Ocpp:Connection:MaxMessageSize"] = "65536",
        ["Ocpp:Connection:DetailedErrors"] = "true",
        ["Ocpp:Connection:SendTimeout"] = "00:00:09",
        ["Ocpp:Connection:MaxPendingSendBytes"] = "100000",
        ["Ocpp:Connection:CloseTimeout"] = "00:00:02",
    };

    private static Action<WebApplicationBuilder> FromMemory(Dictionary<string, string?> settings, Action<IOcppServerBuilder>? more = null) => builder =>
    {
        builder.Configuration.AddInMemoryCollection(settings);
        IOcppServerBuilder ocpp = builder.Services.AddOcppServer(builder.Configuration.GetSection("Ocpp"));
        more?.Invoke(ocpp);
    };

    [Fact]
    public async Task Every_plain_setting_binds_from_an_in_memory_configuration_and_the_protocols_replace_the_defaults()
    {
        IReadOnlyList<string> defaultProtocols = [.. OcppServerOptions.Default.Protocols];
        OcppConnectionOptions defaultConnection = OcppConnectionOptions.Default with { };
        await using HostedApp host = await HostedApp.StartAsync(FromMemory(AllSettings));

        OcppServerOptions o = host.Server.Options;
        o.Protocols.Should().Equal(OcppProtocols.Ocpp201, OcppProtocols.Ocpp16);
        (o.RequireCertificateIdentityMatch, o.ReplaceDuplicateConnections, o.EnableCompression, o.CompressionContextTakeover, o.EnableCompressionForOcpp16, o.PreferInlineScheduling)
            .Should().Be((false, false, false, true, true, true));
        (o.HandshakeTimeout, o.KeepAliveInterval, o.KeepAliveTimeout, o.IncompleteMessageTimeout, o.ShutdownTimeout)
            .Should().Be((TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(20), Timeout.InfiniteTimeSpan, TimeSpan.FromSeconds(11), TimeSpan.FromSeconds(3)));
        (o.MaxConnections, o.IncompleteMessageBudget, o.MaxInflatedBytesPerSecond).Should().Be((1234, 32L * 1024 * 1024, 0L));
        OcppConnectionOptions c = o.Connection;
        (c.CallTimeout, c.SendTimeout, c.CloseTimeout).Should().Be((TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(2)));
        (c.CallConcurrency, c.MaxQueuedCalls, c.MaxConcurrentHandlers, c.MaxMessageSize, c.MaxPendingSendBytes).Should().Be((2, 50, 4, 65536, 100000));
        (c.MaxBadMessages, c.MaxBadMessagesPerMinute, c.MaxPeerWarningsPerMinute, c.DetailedErrors).Should().Be(((int?)null, (int?)5, (int?)null, true));

        // Nothing shared was rewritten by the binding.
        OcppServerOptions.Default.Protocols.Should().Equal(defaultProtocols);
        OcppConnectionOptions.Default.Should().Be(defaultConnection);
        OcppServerOptions.Default.Connection.Should().BeSameAs(OcppConnectionOptions.Default);

        // IOptions<OcppServerOptions> is what the server was made from.
        host.App.Services.GetRequiredService<IOptions<OcppServerOptions>>().Value.Protocols.Should().Equal(o.Protocols);

        // And it is in force: a 2.0.1 station is accepted, a 2.1-only one agrees on nothing.
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-1"), [OcppProtocols.Ocpp21, OcppProtocols.Ocpp201]);
        station.Protocol.Should().Be(OcppProtocols.Ocpp201);
    }

    [Fact]
    public async Task Settings_bind_from_an_appsettings_json_file_with_the_certificate_from_a_path()
    {
        string dir = Directory.CreateTempSubdirectory("ocpp-appsettings-").FullName;
        try
        {
            X509Certificate2 certificate = TestCertificates.RsaServer;
            await File.WriteAllBytesAsync(Path.Combine(dir, "csms.pfx"), certificate.Export(X509ContentType.Pkcs12, "secret"));
            await File.WriteAllTextAsync(Path.Combine(dir, "appsettings.json"), """
                {
                  "Ocpp": {
                    "Protocols": [ "ocpp1.6" ],
                    "MaxConnections": 42,
                    "KeepAliveInterval": "00:01:00",
                    "Connection": { "CallTimeout": "00:00:05" },
                    "Tls": {
                      "Certificate": { "Path": "csms.pfx", "Password": "secret" },
                      "SslProtocols": [ "Tls12", "Tls13" ]
                    }
                  }
                }
                """);
            // The certificate's relative path resolves against the content root, as Kestrel's does.
            await using HostedApp host = await HostedApp.StartAsync(
                builder => builder.Services.AddOcppServer(builder.Configuration.GetSection("Ocpp")),
                options: new WebApplicationOptions { ContentRootPath = dir, EnvironmentName = "Testing" });

            OcppServerOptions o = host.Server.Options;
            o.Protocols.Should().Equal(OcppProtocols.Ocpp16);
            o.MaxConnections.Should().Be(42);
            o.KeepAliveInterval.Should().Be(TimeSpan.FromMinutes(1));
            o.Connection.CallTimeout.Should().Be(TimeSpan.FromSeconds(5));
            o.Tls!.ServerCertificate!.Thumbprint.Should().Be(certificate.Thumbprint);
            o.Tls.ServerCertificate.HasPrivateKey.Should().BeTrue();
            o.Tls.SslProtocols.Should().Be(System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_bad_value_an_unparsable_one_and_an_unknown_key_stop_the_start_each_named_by_its_key()
    {
        WebApplication app = HostedApp.Build(FromMemory(new()
        {
            ["Ocpp:MaxConnections"] = "0",
            ["Ocpp:Connection:CallTimeout"] = "soon",
            ["Ocpp:MaxConection"] = "10",
            ["Ocpp:SecurityProfile"] = "7",
        }));
        await using (app)
        {
            OptionsValidationException error = (await FluentActions.Awaiting(() => app.StartAsync()).Should().ThrowAsync<OptionsValidationException>()).Which;
            error.Failures.Should().Contain(f => f.Contains("Ocpp:Connection:CallTimeout") && f.Contains("'soon'"));
            error.Failures.Should().Contain(f => f.Contains("Ocpp:MaxConection") && f.Contains("not a setting"));
            error.Failures.Should().Contain(f => f.Contains("Ocpp:SecurityProfile") && f.Contains("None, BasicAuth"));
        }

        WebApplication range = HostedApp.Build(FromMemory(new() { ["Ocpp:MaxConnections"] = "0", ["Ocpp:Connection:MaxConcurrentHandlers"] = "0" }));
        await using (range)
        {
            OptionsValidationException error = (await FluentActions.Awaiting(() => range.StartAsync()).Should().ThrowAsync<OptionsValidationException>()).Which;
            error.Failures.Should().Contain("Ocpp:MaxConnections must be at least 1 (is 0).");
            error.Failures.Should().Contain("Ocpp:Connection:MaxConcurrentHandlers must be at least 1 (is 0).");
        }
    }

    [Fact]
    public async Task A_bad_option_set_in_code_stops_the_start_naming_it()
    {
        WebApplication app = HostedApp.Build(builder => builder.Services.AddOcppServer(o => o with
        {
            Connection = o.Connection with { MaxMessageSize = 10 },
            SecurityProfile = OcppSecurityProfile.BasicAuth,
        }));
        await using (app)
        {
            OptionsValidationException error = (await FluentActions.Awaiting(() => app.StartAsync()).Should().ThrowAsync<OptionsValidationException>()).Which;
            error.Message.Should().Contain("OcppServerOptions.Connection.MaxMessageSize must be at least 64 bytes (is 10).");
            error.Message.Should().Contain("Authenticate");
        }
    }

    [Fact]
    public void The_standalone_server_checks_its_connection_options_when_created()
    {
        Action create = () => _ = new OcppServer(OcppServerOptions.Default with { Connection = OcppConnectionOptions.Default with { CallConcurrency = 0 } });
        create.Should().Throw<ArgumentException>().WithMessage("*OcppServerOptions.Connection.CallConcurrency must be at least 1 (is 0).*");
    }

    [Fact]
    public async Task A_second_AddOcppServer_configures_the_same_server_in_order()
    {
        IServiceCollection? services = null;
        await using HostedApp host = await HostedApp.StartAsync(builder =>
        {
            services = builder.Services;
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Ocpp:MaxConnections"] = "7", ["Ocpp:Protocols"] = "ocpp2.1, ocpp2.0.1" });
            builder.Services.AddOcppServer(builder.Configuration.GetSection("Ocpp"));
            builder.Services.AddOcppServer(o => o with { MaxConnections = o.MaxConnections + 1, ShutdownTimeout = TimeSpan.FromSeconds(1) });
        });

        services!.Count(d => d.ServiceType == typeof(OcppServer)).Should().Be(1);
        host.Server.Options.MaxConnections.Should().Be(8);
        host.Server.Options.Protocols.Should().Equal(OcppProtocols.Ocpp21, OcppProtocols.Ocpp201);
        host.Server.Options.ShutdownTimeout.Should().Be(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task The_certificate_binds_from_the_certificate_store_and_serves_TLS()
    {
        // A certificate of its own (unique subject) in CurrentUser/My, which .NET keeps in a directory on Linux.
        string subject = "ocpp-store-" + Guid.NewGuid().ToString("N")[..12];
        using X509Certificate2 generated = TestCertificates.Server(subject);
        using X509Certificate2 stored = X509CertificateLoader.LoadPkcs12(generated.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.PersistKeySet | X509KeyStorageFlags.Exportable);
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadWrite);
        store.Add(stored);
        try
        {
            await using HostedApp host = await HostedApp.StartAsync(FromMemory(new()
            {
                ["Ocpp:Tls:Certificate:Subject"] = subject,
                ["Ocpp:Tls:Certificate:Store"] = "My",
                ["Ocpp:Tls:Certificate:Location"] = "CurrentUser",
                ["Ocpp:Tls:Certificate:AllowInvalid"] = "true", // Issued by the tests' CA, which the machine does not trust.
            }));
            OcppTlsOptions tls = host.Server.Options.Tls!;
            tls.ServerCertificate!.Thumbprint.Should().Be(generated.Thumbprint);
            tls.ServerCertificate.HasPrivateKey.Should().BeTrue();

            // The loaded certificate, private key included, completes a real TLS handshake.
            await using TestServer server = await TestServer.StartAsync(OcppServerOptions.Default with
            {
                SecurityProfile = OcppSecurityProfile.TlsWithBasicAuth,
                Tls = tls,
                Authenticate = (_, _) => ValueTask.FromResult(OcppAuthResult.Accept()),
            });
            string? seen = null;
            await using OcppConnection station = await Station.ConnectAsync(server.Url("CP-STORE"), configure: o =>
            {
                o.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
                {
                    seen = certificate is null ? null : new X509Certificate2(certificate).Thumbprint;
                    return TestCertificates.ValidateServer(sender, certificate, chain, errors);
                };
                Station.BasicAuth(o, "CP-STORE", "any-password-0123");
            });

            station.State.Should().Be(OcppConnectionState.Open);
            seen.Should().Be(generated.Thumbprint);
        }
        finally
        {
            store.Remove(stored);
        }
    }

    [Fact]
    public async Task A_certificate_that_cannot_be_found_stops_the_start_naming_the_section()
    {
        WebApplication app = HostedApp.Build(FromMemory(new()
        {
            ["Ocpp:Tls:Certificate:Path"] = "/nonexistent/csms.pfx",
        }));
        await using (app)
        {
            OptionsValidationException error = (await FluentActions.Awaiting(() => app.StartAsync()).Should().ThrowAsync<OptionsValidationException>()).Which;
            error.Failures.Should().ContainSingle(f => f.StartsWith("Ocpp:Tls:Certificate: the certificate could not be loaded", StringComparison.Ordinal));
        }

        WebApplication store = HostedApp.Build(FromMemory(new()
        {
            ["Ocpp:Tls:Certificate:Subject"] = "no-such-csms.example",
            ["Ocpp:Tls:Certificate:Store"] = "My",
        }));
        await using (store)
        {
            OptionsValidationException error = (await FluentActions.Awaiting(() => store.StartAsync()).Should().ThrowAsync<OptionsValidationException>()).Which;
            error.Failures.Should().ContainSingle(f => f.StartsWith("Ocpp:Tls:Certificate:", StringComparison.Ordinal));
        }
    }
}

using Microsoft.Extensions.Configuration;
using Ocpp.Rpc.Client;

namespace Ocpp.Rpc.Client.Tests;

/// <summary>
/// <see cref="OcppClientOptions"/> bound from configuration (appsettings.json, environment) the way
/// <c>IConfiguration.Get&lt;T&gt;()</c> binds it: nested options are fresh instances, so binding never rewrites the
/// shared defaults that every later <c>new OcppClientOptions()</c> starts from, and lists replace the defaults.
/// </summary>
public sealed class OptionsBindingTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Binding_nested_options_leaves_the_shared_defaults_alone()
    {
        IConfiguration config = Config(
            ("Endpoint", "ws://csms.example/ocpp"),
            ("Identity", "CP-1"),
            ("Reconnect:WaitMinimum", "00:00:01"),
            ("Reconnect:MaxAttempts", "3"),
            ("Connection:CallTimeout", "00:00:07"),
            ("Tls:RevocationMode", "Online"),
            ("MaxQueuedCalls", "5"));

        OcppClientOptions bound = config.Get<OcppClientOptions>()!;

        bound.Endpoint.Should().Be(new Uri("ws://csms.example/ocpp"));
        bound.Identity.Should().Be("CP-1");
        bound.Reconnect.WaitMinimum.Should().Be(TimeSpan.FromSeconds(1));
        bound.Reconnect.MaxAttempts.Should().Be(3);
        bound.Connection.CallTimeout.Should().Be(TimeSpan.FromSeconds(7));
        bound.Tls.RevocationMode.Should().Be(System.Security.Cryptography.X509Certificates.X509RevocationMode.Online);
        bound.MaxQueuedCalls.Should().Be(5);

        var fresh = new OcppClientOptions();
        fresh.Reconnect.Should().Be(new OcppReconnectOptions());
        fresh.Connection.CallTimeout.Should().Be(TimeSpan.FromSeconds(30));
        fresh.Tls.RevocationMode.Should().Be(System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck);
        OcppReconnectOptions.Default.Should().Be(new OcppReconnectOptions());
        OcppConnectionOptions.Default.CallTimeout.Should().Be(TimeSpan.FromSeconds(30));
        OcppClientTlsOptions.Default.Should().Be(new OcppClientTlsOptions());
        OcppClientOptions.Default.Reconnect.Should().Be(new OcppClientOptions().Reconnect);
    }

    [Fact]
    public void Bound_protocols_replace_the_default_list()
    {
        OcppClientOptions bound = Config(("Protocols:0", "ocpp1.6")).Get<OcppClientOptions>()!;
        bound.Protocols.Should().Equal("ocpp1.6");

        OcppClientOptions two = Config(("Protocols:0", "ocpp2.0.1"), ("Protocols:1", "ocpp1.6")).Get<OcppClientOptions>()!;
        two.Protocols.Should().Equal("ocpp2.0.1", "ocpp1.6");

        bound.EffectiveProtocols.Should().Equal("ocpp1.6");
        new OcppClientOptions().Protocols.Should().BeEmpty("empty stands for the default list, so binding replaces it");
        new OcppClientOptions().EffectiveProtocols.Should().Equal("ocpp2.1", "ocpp2.0.1", "ocpp1.6");
    }

    [Fact]
    public void Binding_onto_existing_options_twice_does_not_leak_between_them()
    {
        var first = new OcppClientOptions();
        Config(("Reconnect:RepeatTimes", "9")).Bind(first);
        var second = new OcppClientOptions();

        first.Reconnect.RepeatTimes.Should().Be(9);
        second.Reconnect.RepeatTimes.Should().Be(5);
    }
}

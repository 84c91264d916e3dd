using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Samples.ChargePoint;
using Ocpp.Rpc.Samples.Csms;

namespace Ocpp.Rpc.Samples.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Csms_options_parse_and_check_the_security_settings()
    {
        CsmsOptions options = CsmsOptions.Parse(["--port", "0", "--strict", "--profile", "1", "--password-file", "stations.passwd", "--interval", "60"]);
        options.Should().Be(CsmsOptions.Default with { Port = 0, Strict = true, Profile = OcppSecurityProfile.BasicAuth, PasswordFile = "stations.passwd", HeartbeatInterval = 60 });

        FluentActions.Invoking(() => CsmsOptions.Parse(["--profile", "1"])).Should().Throw<ArgumentException>().WithMessage("*--password-file*");
        FluentActions.Invoking(() => CsmsOptions.Parse(["--profile", "2", "--password-file", "x"])).Should().Throw<ArgumentException>().WithMessage("*--cert*");

        // One password shared by every station is gone: it let any station connect as any other.
        FluentActions.Invoking(() => CsmsOptions.Parse(["--profile", "1", "--password", "shared-secret-1234"])).Should().Throw<ArgumentException>().WithMessage("*--password-file*");
        FluentActions.Invoking(() => CsmsOptions.Parse(["--password-file", "x"])).Should().Throw<ArgumentException>().WithMessage("*profiles 1 and 2*");
        FluentActions.Invoking(() => CsmsOptions.Parse(["--profile", "3", "--cert", "a.pfx"])).Should().Throw<ArgumentException>().WithMessage("*--ca*");
        FluentActions.Invoking(() => CsmsOptions.Parse(["--port", "70000"])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => CsmsOptions.Parse(["--bogus"])).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Simulator_options_parse_and_number_the_identities()
    {
        SimulatorOptions options = SimulatorOptions.Parse(["--url", "ws://csms:9220/ocpp", "--identity", "CP", "--count", "3", "--protocol", "ocpp2.1", "--duration", "2.5", "--no-auto"]);
        options.Url.Should().Be(new Uri("ws://csms:9220/ocpp"));
        options.Protocol.Should().Be(OcppProtocols.Ocpp21);
        options.Duration.Should().Be(TimeSpan.FromSeconds(2.5));
        options.AutoCharge.Should().BeFalse();
        Enumerable.Range(0, 3).Select(options.IdentityOf).Should().Equal("CP-1", "CP-2", "CP-3");
        SimulatorOptions.Default.IdentityOf(0).Should().Be("CP-001");

        FluentActions.Invoking(() => SimulatorOptions.Parse(["--protocol", "ocpp1.5"])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => SimulatorOptions.Parse(["--url", "http://x"])).Should().Throw<ArgumentException>();
    }
}

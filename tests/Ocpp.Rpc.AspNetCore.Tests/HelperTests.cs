using System.Text;
using Ocpp.Rpc.AspNetCore.Internal;
using Ocpp.Rpc.AspNetCore.Tests.Support;

namespace Ocpp.Rpc.AspNetCore.Tests;

public class HelperTests
{
    [Fact]
    public void Passwords_compare_as_utf8_and_as_hex()
    {
        OcppPasswords.EqualsUtf8(Encoding.UTF8.GetBytes("pässwörd-16chars"), "pässwörd-16chars").Should().BeTrue();
        OcppPasswords.EqualsUtf8(Encoding.UTF8.GetBytes("pässwörd-16chars"), "passwörd-16chars").Should().BeFalse();
        OcppPasswords.EqualsUtf8(Encoding.UTF8.GetBytes("short"), "shorter").Should().BeFalse();
        OcppPasswords.EqualsHex([0xDE, 0xAD, 0xBE, 0xEF], "deadBEEF").Should().BeTrue();
        OcppPasswords.EqualsHex([0xDE, 0xAD, 0xBE, 0xEE], "DEADBEEF").Should().BeFalse();
        Action bad = () => OcppPasswords.EqualsHex([1], "xyz");
        bad.Should().Throw<FormatException>();
    }

    [Fact]
    public void Certificate_matches_identity_by_exact_common_name()
    {
        using var cert = TestCertificates.Station("CP-42");
        OcppCertificates.MatchesIdentity(cert, "CP-42").Should().BeTrue();
        OcppCertificates.MatchesIdentity(cert, "cp-42").Should().BeFalse();
        OcppCertificates.MatchesIdentity(cert, "CP-4").Should().BeFalse();
        OcppCertificates.MatchesIdentity(cert, "Test Stations").Should().BeFalse();
    }

    [Theory]
    [InlineData("/ocpp/CP1", "/ocpp", "CP1")]
    [InlineData("/CP1", "", "CP1")]
    [InlineData("/a/b/CP%2A1?x=%zz", "/a/b", "CP*1")]
    [InlineData("http://host:80/ocpp/CP1", "/ocpp", "CP1")]
    public void Identity_path_splits_endpoint_and_identity(string raw, string endpoint, string identity)
    {
        IdentityPath.TryParse(raw, out string e, out string i).Should().Be(IdentityPath.Problem.None);
        e.Should().Be(endpoint);
        i.Should().Be(identity);
    }

    [Theory]
    [InlineData("/ocpp/%zz", "MalformedEncoding")]
    [InlineData("/ocpp/%", "MalformedEncoding")]
    [InlineData("/ocpp/%C3%28", "MalformedEncoding")]
    [InlineData("/ocpp/", "Missing")]
    [InlineData("ocpp", "Missing")]
    [InlineData("/ocpp/a%2Fb", "ForbiddenCharacter")]
    [InlineData("/ocpp/é", "ForbiddenCharacter")]
    public void Identity_path_reports_problems(string raw, string expected) =>
        IdentityPath.TryParse(raw, out _, out _).ToString().Should().Be(expected);
}

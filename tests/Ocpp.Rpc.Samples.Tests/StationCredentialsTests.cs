using System.Text;
using Ocpp.Rpc.Samples.Csms;

namespace Ocpp.Rpc.Samples.Tests;

/// <summary>The CSMS sample's per-station credentials file (<c>--password-file</c>) and <c>hash-password</c>.</summary>
public sealed class StationCredentialsTests
{
    private static readonly byte[] PasswordA = Encoding.UTF8.GetBytes("secret-of-station-A");
    private static readonly byte[] PasswordB = Encoding.UTF8.GetBytes("secret-of-station-B");

    [Fact]
    public void Each_identity_is_verified_against_its_own_hash_only()
    {
        StationCredentials credentials = StationCredentials.Parse(
        [
            "# station secrets",
            string.Empty,
            StationCredentials.HashLine("CP-A", PasswordA, iterations: 1_000),
            "  " + StationCredentials.HashLine("CP:B", PasswordB, iterations: 1_000) + "  ",
        ]);

        credentials.Count.Should().Be(2);
        credentials.Verify("CP-A", PasswordA).Should().BeTrue();
        credentials.Verify("CP:B", PasswordB).Should().BeTrue("identities may contain ':' before OCPP 2.1");
        credentials.Verify("CP-A", PasswordB).Should().BeFalse("another station's secret");
        credentials.Verify("CP:B", PasswordA).Should().BeFalse();
        credentials.Verify("CP-C", PasswordA).Should().BeFalse("an unknown identity");
        credentials.Verify("CP-A", []).Should().BeFalse();
    }

    [Fact]
    public void Hashes_are_salted_and_carry_their_scheme_and_iterations()
    {
        string first = StationCredentials.HashLine("CP001", PasswordA);
        string second = StationCredentials.HashLine("CP001", PasswordA);

        first.Should().MatchRegex(@"^CP001:pbkdf2-sha256\$100000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$");
        second.Should().NotBe(first, "every hash has a fresh salt");
        first.Should().NotContain("secret-of-station-A");
        StationCredentials.Parse([second]).Verify("CP001", PasswordA).Should().BeTrue();

        FluentActions.Invoking(() => StationCredentials.HashLine("CP001", Encoding.UTF8.GetBytes("too-short"))).Should().Throw<ArgumentException>().WithMessage("*16 to 40*");
        FluentActions.Invoking(() => StationCredentials.HashLine("CP 001", PasswordA)).Should().Throw<ArgumentException>().WithMessage("*identity*");
    }

    [Theory]
    [InlineData("CP-A", "line 2")]
    [InlineData(":pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "line 2")]
    [InlineData("CP-A:pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==", "line 2: the hash of CP-A")]
    [InlineData("CP-A:sha1$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "line 2: the hash of CP-A")]
    [InlineData("CP-A:pbkdf2-sha256$many$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "line 2: the hash of CP-A")]
    [InlineData("CP-A:pbkdf2-sha256$1000$AAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "line 2: the hash of CP-A")]
    [InlineData("CP-A:pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$not base64!", "line 2: the hash of CP-A")]
    [InlineData("CP A:pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "line 2")]
    public void A_malformed_line_is_an_error_naming_its_number(string line, string expected)
    {
        FluentActions.Invoking(() => StationCredentials.Parse(["# comment", line], "stations.passwd"))
            .Should().Throw<InvalidDataException>().WithMessage($"stations.passwd {expected}*");
    }

    [Fact]
    public void A_duplicate_identity_is_an_error()
    {
        string[] lines = [StationCredentials.HashLine("CP-A", PasswordA, 1_000), StationCredentials.HashLine("CP-A", PasswordB, 1_000)];

        FluentActions.Invoking(() => StationCredentials.Parse(lines, "stations.passwd"))
            .Should().Throw<InvalidDataException>().WithMessage("stations.passwd line 2: CP-A is listed twice.");
    }

    [Fact]
    public void Hash_password_prints_a_line_from_an_argument_or_the_input()
    {
        var output = new StringWriter();
        StationCredentials.RunHashPassword(["CP001"], new StringReader("secret-of-station-A\n"), output, TextWriter.Null).Should().Be(0);
        StationCredentials.RunHashPassword(["CP002", "secret-of-station-B"], TextReader.Null, output, TextWriter.Null).Should().Be(0);
        StationCredentials.RunHashPassword(["CP003", "--hex", "00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff"], TextReader.Null, output, TextWriter.Null).Should().Be(0);

        StationCredentials credentials = StationCredentials.Parse(output.ToString().Split('\n'));
        credentials.Verify("CP001", PasswordA).Should().BeTrue();
        credentials.Verify("CP002", PasswordB).Should().BeTrue();
        credentials.Verify("CP003", Convert.FromHexString("00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff")).Should().BeTrue("a 1.6 AuthorizationKey is binary");

        var error = new StringWriter();
        StationCredentials.RunHashPassword([], TextReader.Null, TextWriter.Null, error).Should().Be(2);
        StationCredentials.RunHashPassword(["CP001", "short"], TextReader.Null, TextWriter.Null, error).Should().Be(2);
        StationCredentials.RunHashPassword(["CP001"], TextReader.Null, TextWriter.Null, error).Should().Be(2);
        error.ToString().Should().Contain("Usage").And.Contain("16 to 40").And.Contain("No password");
    }
}

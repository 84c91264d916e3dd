using System.Text;
using Ocpp.Rpc.AspNetCore.Tests.Support;

namespace Ocpp.Rpc.AspNetCore.Tests;

// Security profile 1 (OCTT: valid Basic auth; username != identity; bad password; missing password).
public class BasicAuthTests
{
    private const string Password = "0123456789abcdefXYZ";

    private static OcppServerOptions Profile1 => OcppServerOptions.Default with
    {
        SecurityProfile = OcppSecurityProfile.BasicAuth,
        Authenticate = (h, _) => ValueTask.FromResult(h.PasswordEquals(Password) ? OcppAuthResult.Accept() : OcppAuthResult.Reject(401)),
    };

    [Fact]
    public async Task Valid_credentials_are_accepted()
    {
        await using TestServer host = await TestServer.StartAsync(Profile1);
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-1"), configure: o => Station.BasicAuth(o, "CP-1", Password));
        station.State.Should().Be(OcppConnectionState.Open);
        host.Server.ConnectionCount.Should().Be(1);
    }

    [Fact]
    public async Task Username_other_than_the_identity_is_rejected_401()
    {
        await using TestServer host = await TestServer.StartAsync(Profile1);
        (await Station.ExpectRejectedAsync(host.Url("CP-1"), configure: o => Station.BasicAuth(o, "CP-2", Password))).Should().Be(401);
    }

    [Fact]
    public async Task Wrong_password_is_rejected_401()
    {
        await using TestServer host = await TestServer.StartAsync(Profile1);
        (await Station.ExpectRejectedAsync(host.Url("CP-1"), configure: o => Station.BasicAuth(o, "CP-1", Password + "x"))).Should().Be(401);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic")]
    [InlineData("Basic !!!not-base64!!!")]
    [InlineData("Bearer abc")]
    [InlineData("Basic Q1AtMQ==")] // "CP-1" without a colon
    [InlineData("Basic Q1AtMTo=")] // "CP-1:" (empty password)
    public async Task Missing_or_garbage_authorization_is_rejected_401_with_a_basic_challenge(string? authorization)
    {
        int callbacks = 0;
        await using TestServer host = await TestServer.StartAsync(Profile1 with
        {
            Authenticate = (_, _) =>
            {
                Interlocked.Increment(ref callbacks);
                return ValueTask.FromResult(OcppAuthResult.Accept());
            },
        });
        string extra = authorization is null ? string.Empty : $"Authorization: {authorization}\r\n";
        await using RawHttpClient client = await RawHttpClient.ConnectAsync(host.Port);
        await client.SendAsync(RawHttpClient.UpgradeRequest("/ocpp/CP-1", extraHeaders: extra));
        RawResponse response = await client.ReadResponseHeadAsync();
        response.Status.Should().Be(401);
        response.Headers["WWW-Authenticate"].Should().StartWith("Basic");
        callbacks.Should().Be(0, "the callback only sees well-formed credentials for the identity");
    }

    [Fact]
    public async Task Binary_ocpp16_password_is_passed_byte_for_byte_and_matches_its_hex_form()
    {
        byte[] key = [0x00, 0xFF, 0x3A, 0x80, 0x7F, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0xC0, 0xC1, 0xFE, 0x3A];
        string hex = Convert.ToHexString(key);
        byte[]? seen = null;
        await using TestServer host = await TestServer.StartAsync(Profile1 with
        {
            Authenticate = (h, _) =>
            {
                seen = h.Password.ToArray();
                return ValueTask.FromResult(h.PasswordEqualsHex(hex.ToLowerInvariant()) ? OcppAuthResult.Accept() : OcppAuthResult.Reject());
            },
        });
        byte[] credentials = [.. Encoding.UTF8.GetBytes("CP-16:"), .. key];
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-16"), configure: o => Station.BasicAuth(o, credentials));
        seen.Should().Equal(key);
        byte[] wrong = [.. Encoding.UTF8.GetBytes("CP-16:"), .. key[..^1], 0x00];
        (await Station.ExpectRejectedAsync(host.Url("CP-16"), configure: o => Station.BasicAuth(o, wrong))).Should().Be(401);
    }

    [Fact]
    public async Task Identity_containing_a_colon_still_authenticates_on_ocpp16()
    {
        await using TestServer host = await TestServer.StartAsync(Profile1);
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP:1"), configure: o => Station.BasicAuth(o, "CP:1", Password));
        station.State.Should().Be(OcppConnectionState.Open);
    }

    [Fact]
    public async Task Profile_1_without_an_auth_callback_is_a_configuration_error()
    {
        Action create = () => _ = new OcppServer(OcppServerOptions.Default with { SecurityProfile = OcppSecurityProfile.BasicAuth });
        create.Should().Throw<ArgumentException>().WithMessage("*Authenticate*");
        await Task.CompletedTask;
    }
}

using System.Net;
using System.Text;
using Ocpp.Rpc.Client.Tests.Support;

namespace Ocpp.Rpc.Client.Tests;

public sealed class HandshakeTests
{
    [Fact]
    public async Task Identity_is_percent_encoded_and_arrives_decoded()
    {
        const string identity = "CP 1/ä%+é~_.-";
        await using TestCsms csms = await TestCsms.StartAsync();
        await using var client = new OcppClient(Clients.For(csms.Endpoint, identity));

        await client.ConnectAsync();

        Session session = await csms.NextSessionAsync();
        session.Handshake.Identity.Should().Be(identity);
        session.Handshake.RawTarget.Should().Be("/ocpp/CP%201%2F%C3%A4%25%2B%C3%A9~_.-");
        client.Uri.AbsoluteUri.Should().EndWith("/ocpp/CP%201%2F%C3%A4%25%2B%C3%A9~_.-");
    }

    [Fact]
    public async Task Subprotocols_are_offered_in_preference_order_and_the_negotiated_one_is_exposed()
    {
        await using TestCsms csms = await TestCsms.StartAsync(new TestCsmsOptions { Protocols = [OcppProtocols.Ocpp16, OcppProtocols.Ocpp201] });
        await using var client = new OcppClient(Clients.For(csms.Endpoint, "CP-1", OcppProtocols.Ocpp21, OcppProtocols.Ocpp201, OcppProtocols.Ocpp16));

        await client.ConnectAsync();

        Session session = await csms.NextSessionAsync();
        session.Handshake.OfferedProtocols.Should().Equal(OcppProtocols.Ocpp21, OcppProtocols.Ocpp201, OcppProtocols.Ocpp16);
        client.Protocol.Should().Be(OcppProtocols.Ocpp201);
        client.Connection!.Protocol.Should().Be(OcppProtocols.Ocpp201);
        session.Connection.Protocol.Should().Be(OcppProtocols.Ocpp201);
        client.State.Should().Be(OcppClientState.Open);
    }

    [Fact]
    public async Task Extra_headers_and_query_parameters_reach_the_server()
    {
        await using TestCsms csms = await TestCsms.StartAsync();
        OcppClientOptions options = Clients.For(new Uri(csms.Endpoint + "?site=north"), "CP-1") with
        {
            Headers = new Dictionary<string, string> { ["X-Station-Model"] = "Model 3", ["X-Trace"] = "abc" },
            QueryParameters = [new("token", "a b&c"), new("lang", "é")],
        };
        await using var client = new OcppClient(options);

        await client.ConnectAsync();

        Handshake handshake = (await csms.NextSessionAsync()).Handshake;
        handshake.Identity.Should().Be("CP-1");
        handshake.Headers["X-Station-Model"].Should().Be("Model 3");
        handshake.Headers["X-Trace"].Should().Be("abc");
        handshake.Query.Should().Contain("site", "north").And.Contain("token", "a b&c").And.Contain("lang", "é");
        handshake.Authorization.Should().BeNull("no password is configured");
    }

    [Fact]
    public async Task Basic_auth_sends_the_identity_and_binary_password_bytes_intact()
    {
        byte[] password = [0x00, 0xFF, (byte)':', 0x80, 0x7F, 0x0A, 0xC3, 0x28, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x10, 0x11, 0x12];
        await using TestCsms csms = await TestCsms.StartAsync();
        await using var client = new OcppClient(Clients.For(csms.Endpoint, "CP:1 ä") with { Password = password });

        await client.ConnectAsync();

        string header = (await csms.NextSessionAsync()).Handshake.Authorization!;
        header.Should().StartWith("Basic ");
        byte[] decoded = Convert.FromBase64String(header["Basic ".Length..]);
        byte[] user = Encoding.UTF8.GetBytes("CP:1 ä:");
        decoded.AsSpan(0, user.Length).SequenceEqual(user).Should().BeTrue();
        decoded[user.Length..].Should().Equal(password);
    }

    [Fact]
    public async Task Compression_is_requested_when_configured_and_calls_still_flow()
    {
        await using TestCsms csms = await TestCsms.StartAsync(new TestCsmsOptions { Compression = true });
        csms.Handlers.Handle("Echo", context => new(OcppPayload.FromElement(context.PayloadElement)));
        await using var client = new OcppClient(Clients.For(csms.Endpoint) with { Compression = new System.Net.WebSockets.WebSocketDeflateOptions() });

        await client.ConnectAsync();

        (await csms.NextSessionAsync()).Handshake.Headers["Sec-WebSocket-Extensions"].Should().Contain("permessage-deflate");
        string big = new('x', 10_000);
        (await client.CallAsync("Echo", OcppPayload.FromJson($$"""{"s":"{{big}}"}""")).Within()).GetProperty("s").GetString().Should().Be(big);
    }

    [Fact]
    public void Password_conveniences_encode_utf8_and_hex()
    {
        OcppClientOptions.Default.WithPassword("pässwörd").Password.Should().Equal(Encoding.UTF8.GetBytes("pässwörd"));
        OcppClientOptions.Default.WithHexPassword("00ff10AB").Password.Should().Equal(0x00, 0xFF, 0x10, 0xAB);
        OcppClientOptions.Default.WithHexPassword(new string('a', 40)).Password.Should().HaveCount(20);

        FluentActions.Invoking(() => OcppClientOptions.Default.WithHexPassword(new string('a', 42))).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => OcppClientOptions.Default.WithHexPassword("abc")).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => OcppClientOptions.Default.WithHexPassword("zz")).Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData(401)]
    [InlineData(404)]
    public async Task A_rejected_handshake_throws_with_the_http_status(int status)
    {
        await using TestCsms csms = await TestCsms.StartAsync(new TestCsmsOptions { Reject = _ => status });
        await using var client = new OcppClient(Clients.For(csms.Endpoint));

        OcppConnectException error = (await FluentActions.Awaiting(() => client.ConnectAsync()).Should().ThrowAsync<OcppConnectException>()).Which;

        error.Failure.Should().Be(OcppConnectFailure.Rejected);
        error.StatusCode.Should().Be((HttpStatusCode)status);
        error.Message.Should().Contain(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        client.State.Should().Be(OcppClientState.Closed);
    }

    [Fact]
    public async Task No_agreed_subprotocol_is_a_clear_failure()
    {
        await using TestCsms csms = await TestCsms.StartAsync(new TestCsmsOptions { Protocols = [OcppProtocols.Ocpp21] });
        await using var client = new OcppClient(Clients.For(csms.Endpoint, "CP-1", OcppProtocols.Ocpp16, OcppProtocols.Ocpp201));

        OcppConnectException error = (await FluentActions.Awaiting(() => client.ConnectAsync()).Should().ThrowAsync<OcppConnectException>()).Which;

        error.Failure.Should().Be(OcppConnectFailure.NoSubprotocol, error.ToString());
        error.Message.Should().Contain("ocpp1.6").And.Contain("ocpp2.0.1");
        client.State.Should().Be(OcppClientState.Closed);
        client.Protocol.Should().BeNull();
    }

    [Fact]
    public async Task An_unreachable_server_is_a_network_failure()
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using var client = new OcppClient(Clients.For(new Uri($"ws://127.0.0.1:{port}/ocpp")));

        OcppConnectException error = (await FluentActions.Awaiting(() => client.ConnectAsync()).Should().ThrowAsync<OcppConnectException>()).Which;

        error.Failure.Should().Be(OcppConnectFailure.Network);
        client.State.Should().Be(OcppClientState.Closed);
    }

    [Fact]
    public void Options_are_validated()
    {
        FluentActions.Invoking(() => new OcppClient(OcppClientOptions.Default with { Identity = "CP" })).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new OcppClient(OcppClientOptions.Default with { Endpoint = new Uri("http://x/ocpp"), Identity = "CP" })).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new OcppClient(OcppClientOptions.Default with { Endpoint = new Uri("ws://x/ocpp") })).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new OcppClient(OcppClientOptions.Default with { Endpoint = new Uri("ws://x/ocpp"), Identity = "CP", Protocols = ["ocpp1.6", ""] })).Should().Throw<ArgumentException>();
        new OcppClient(OcppClientOptions.Default with { Endpoint = new Uri("ws://x/ocpp"), Identity = "CP", Protocols = [] }).Options.EffectiveProtocols
            .Should().Equal(OcppClientOptions.DefaultProtocols, "an empty list offers the default one");
    }

    [Theory]
    [InlineData("ws://h:1/ocpp", "CP 1", null, "ws://h:1/ocpp/CP%201")]
    [InlineData("ws://h:1/ocpp/", "a/b", null, "ws://h:1/ocpp/a%2Fb")]
    [InlineData("wss://h/", "x", "k=v w", "wss://h/x?k=v%20w")]
    [InlineData("ws://h/o?a=1", "x", "k=v", "ws://h/o/x?a=1&k=v")]
    public void The_url_is_endpoint_slash_encoded_identity_plus_query(string endpoint, string identity, string? query, string expected)
    {
        List<KeyValuePair<string, string>>? parameters = query is null ? null : [new(query.Split('=')[0], query.Split('=')[1])];

        ClientHandshake.BuildUri(new Uri(endpoint), identity, parameters).AbsoluteUri.Should().Be(expected);
    }
}

using System.Net.WebSockets;
using Ocpp.Rpc.AspNetCore.Tests.Support;

namespace Ocpp.Rpc.AspNetCore.Tests;

public class HandshakeTests
{
    [Fact]
    public async Task Station_connects_and_the_server_knows_it_by_identity()
    {
        await using TestServer host = await TestServer.StartAsync();
        Task<OcppStationConnectedEventArgs> connected = Await.NextConnected(host.Server);
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-1"));
        OcppStationConnectedEventArgs e = await connected;
        e.Connection.Identity.Should().Be("CP-1");
        e.Connection.Protocol.Should().Be(OcppProtocols.Ocpp16);
        e.Handshake.EndpointPath.Should().Be("/ocpp");
        host.Server.TryGetConnection("CP-1", out OcppConnection? found).Should().BeTrue();
        found.Should().BeSameAs(e.Connection);
        host.Server.Connections.Keys.Should().Equal("CP-1");
    }

    [Theory]
    [InlineData("CP%40site.1", "CP@site.1")]
    [InlineData("%43%50%2a%2B%7c%3D01", "CP*+|=01")]
    [InlineData("plain_id-1", "plain_id-1")]
    public async Task Percent_encoded_identity_is_decoded_from_the_raw_path(string encoded, string identity)
    {
        await using TestServer host = await TestServer.StartAsync();
        Task<OcppStationConnectedEventArgs> connected = Await.NextConnected(host.Server);
        RawResponse response = await RawHttpClient.UpgradeAsync(host.Port, "/ocpp/" + encoded);
        response.Status.Should().Be(101);
        (await connected).Handshake.Identity.Should().Be(identity);
    }

    [Theory]
    [InlineData("/ocpp/%zz")]
    [InlineData("/ocpp/CP%")]
    [InlineData("/ocpp/CP%4")]
    [InlineData("/ocpp/%C3%28")]
    [InlineData("/ocpp/%FF%FE")]
    [InlineData("/ocpp/CP%2F1")]
    [InlineData("/ocpp/")]
    public async Task Malformed_or_empty_identity_is_answered_400_and_the_server_keeps_serving(string target)
    {
        await using TestServer host = await TestServer.StartAsync();
        RawResponse response = await RawHttpClient.UpgradeAsync(host.Port, target);
        response.Status.Should().Be(400);
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-ok"));
        station.State.Should().Be(OcppConnectionState.Open);
    }

    [Fact]
    public async Task Identity_of_49_characters_is_refused_and_48_accepted()
    {
        await using TestServer host = await TestServer.StartAsync();
        (await RawHttpClient.UpgradeAsync(host.Port, "/ocpp/" + new string('A', 49))).Status.Should().Be(400);
        (await RawHttpClient.UpgradeAsync(host.Port, "/ocpp/" + new string('A', 48))).Status.Should().Be(101);
    }

    [Theory]
    [InlineData("CP%201")]
    [InlineData("CP%C3%A91")]
    [InlineData("CP#1")]
    [InlineData("CP~1")]
    [InlineData("CP!1")]
    public async Task Identity_with_characters_outside_identifierString_is_refused(string encoded)
    {
        await using TestServer host = await TestServer.StartAsync();
        (await RawHttpClient.UpgradeAsync(host.Port, "/ocpp/" + encoded)).Status.Should().Be(400);
    }

    [Theory]
    [InlineData(OcppProtocols.Ocpp21, 400)]
    [InlineData(OcppProtocols.Ocpp201, 101)]
    [InlineData(OcppProtocols.Ocpp16, 101)]
    public async Task Colon_in_identity_is_refused_on_ocpp21_only(string protocol, int expected)
    {
        await using TestServer host = await TestServer.StartAsync();
        (await RawHttpClient.UpgradeAsync(host.Port, "/ocpp/CP:1", protocol)).Status.Should().Be(expected);
        (await RawHttpClient.UpgradeAsync(host.Port, "/ocpp/CP%3A2", protocol)).Status.Should().Be(expected);
    }

    [Theory]
    [InlineData("ocpp1.6, ocpp2.0.1", OcppProtocols.Ocpp16)]
    [InlineData("ocpp2.0.1, ocpp1.6", OcppProtocols.Ocpp201)]
    [InlineData("ocpp1.5, ocpp2.1, ocpp1.6", OcppProtocols.Ocpp21)]
    [InlineData("vendor.x, ocpp2.0.1", OcppProtocols.Ocpp201)]
    public async Task Subprotocol_is_the_first_one_the_station_offered_that_the_server_supports(string offered, string expected)
    {
        await using TestServer host = await TestServer.StartAsync();
        RawResponse response = await RawHttpClient.UpgradeAsync(host.Port, "/ocpp/CP-1", offered);
        response.Status.Should().Be(101);
        response.Headers["Sec-WebSocket-Protocol"].Should().Be(expected);
    }

    [Fact]
    public async Task Server_protocol_list_limits_what_is_agreed()
    {
        await using TestServer host = await TestServer.StartAsync(OcppServerOptions.Default with { Protocols = [OcppProtocols.Ocpp201] });
        Task<OcppStationConnectedEventArgs> connected = Await.NextConnected(host.Server);
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-1"), [OcppProtocols.Ocpp16, OcppProtocols.Ocpp201]);
        station.Protocol.Should().Be(OcppProtocols.Ocpp201);
        (await connected).Connection.Protocol.Should().Be(OcppProtocols.Ocpp201);
    }

    [Theory]
    [InlineData("ocpp1.2, vendor.y")]
    [InlineData(null)]
    public async Task No_agreeable_subprotocol_completes_the_handshake_without_the_header_then_closes_1002(string? offered)
    {
        await using TestServer host = await TestServer.StartAsync();
        var rejected = new TaskCompletionSource<OcppHandshakeRejectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Server.HandshakeRejected += (_, e) => rejected.TrySetResult(e);
        await using RawHttpClient client = await RawHttpClient.ConnectAsync(host.Port);
        await client.SendAsync(RawHttpClient.UpgradeRequest("/ocpp/CP-1", offered));
        RawResponse response = await client.ReadResponseHeadAsync();
        response.Status.Should().Be(101);
        response.Headers.Should().NotContainKey("Sec-WebSocket-Protocol");

        // The very next thing on the wire is a close frame carrying 1002.
        byte[] frame = new byte[4];
        await client.Stream.ReadExactlyAsync(frame);
        frame[0].Should().Be(0x88, "a final close frame");
        ((frame[2] << 8) | frame[3]).Should().Be(1002);
        (await rejected.Task.WaitAsync(Await.Timeout)).Reason.Should().Contain("subprotocol");
        host.Server.ConnectionCount.Should().Be(0);
    }

    [Fact]
    public async Task ClientWebSocket_offering_an_unsupported_protocol_sees_the_close()
    {
        await using TestServer host = await TestServer.StartAsync();
        using ClientWebSocket socket = await Station.ConnectSocketAsync(host.Url("CP-1"), ["ocpp1.5"]);
        socket.SubProtocol.Should().BeNull();
        WebSocketReceiveResult result = await socket.ReceiveAsync(new byte[16], CancellationToken.None);
        result.MessageType.Should().Be(WebSocketMessageType.Close);
        socket.CloseStatus.Should().Be(WebSocketCloseStatus.ProtocolError);
    }

    [Fact]
    public async Task Plain_http_request_to_the_endpoint_is_answered_400()
    {
        await using TestServer host = await TestServer.StartAsync();
        using var http = new HttpClient();
        HttpResponseMessage response = await http.GetAsync(new Uri($"http://127.0.0.1:{host.Port}/ocpp/CP-1"));
        ((int)response.StatusCode).Should().Be(400);
    }

    [Fact]
    public async Task Unknown_identity_is_answered_404_by_the_auth_callback()
    {
        var options = OcppServerOptions.Default with
        {
            Authenticate = (h, _) => ValueTask.FromResult(h.Identity == "KNOWN" ? OcppAuthResult.Accept() : OcppAuthResult.UnknownIdentity()),
        };
        await using TestServer host = await TestServer.StartAsync(options);
        (await Station.ExpectRejectedAsync(host.Url("STRANGER"))).Should().Be(404);
        await using OcppConnection station = await Station.ConnectAsync(host.Url("KNOWN"));
        station.State.Should().Be(OcppConnectionState.Open);
    }

    [Fact]
    public async Task Auth_callback_sees_the_handshake_and_its_session_data_reaches_connection_items()
    {
        OcppHandshake? seen = null;
        var options = OcppServerOptions.Default with
        {
            Authenticate = (h, _) =>
            {
                seen = h;
                return ValueTask.FromResult(OcppAuthResult.Accept(new Dictionary<string, object?> { ["tenant"] = "north", ["site"] = 7 }));
            },
        };
        await using TestServer host = await TestServer.StartAsync(options);
        Task<OcppStationConnectedEventArgs> connected = Await.NextConnected(host.Server);
        await using OcppConnection station = await Station.ConnectAsync(
            new Uri(host.Url("CP-7") + "?fw=1.2"),
            [OcppProtocols.Ocpp201, OcppProtocols.Ocpp16],
            o => o.SetRequestHeader("X-Vendor", "acme"));
        OcppConnection server = (await connected).Connection;
        server.Items["tenant"].Should().Be("north");
        server.Items["site"].Should().Be(7);
        seen!.Identity.Should().Be("CP-7");
        seen.OfferedProtocols.Should().Equal(OcppProtocols.Ocpp201, OcppProtocols.Ocpp16);
        seen.Protocol.Should().Be(OcppProtocols.Ocpp201);
        seen.Headers["X-Vendor"].ToString().Should().Be("acme");
        seen.Query["fw"].ToString().Should().Be("1.2");
        seen.RemoteAddress!.ToString().Should().EndWith("127.0.0.1");
        seen.HasPassword.Should().BeFalse();
    }

    [Fact]
    public async Task Auth_callback_may_choose_another_offered_protocol()
    {
        var options = OcppServerOptions.Default with
        {
            Authenticate = (_, _) => ValueTask.FromResult(OcppAuthResult.Accept(protocol: OcppProtocols.Ocpp16)),
        };
        await using TestServer host = await TestServer.StartAsync(options);
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-1"), [OcppProtocols.Ocpp201, OcppProtocols.Ocpp16]);
        station.Protocol.Should().Be(OcppProtocols.Ocpp16);
    }

    [Fact]
    public async Task Auth_callback_that_throws_is_answered_500_and_the_server_keeps_serving()
    {
        var options = OcppServerOptions.Default with
        {
            Authenticate = (h, _) => h.Identity == "BOOM" ? throw new InvalidOperationException("db down") : ValueTask.FromResult(OcppAuthResult.Accept()),
        };
        await using TestServer host = await TestServer.StartAsync(options);
        (await Station.ExpectRejectedAsync(host.Url("BOOM"))).Should().Be(500);
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-1"));
        station.State.Should().Be(OcppConnectionState.Open);
    }

    [Theory]
    [InlineData(OcppProtocols.Ocpp201, true)]
    [InlineData(OcppProtocols.Ocpp21, true)]
    [InlineData(OcppProtocols.Ocpp16, false)]
    public async Task Permessage_deflate_is_accepted_for_2x_stations_that_offer_it_but_not_for_16(string protocol, bool negotiated)
    {
        await using TestServer host = await TestServer.StartAsync();
        await using RawHttpClient client = await RawHttpClient.ConnectAsync(host.Port);
        await client.SendAsync(RawHttpClient.UpgradeRequest("/ocpp/CP-Z", protocol, "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"));
        RawResponse response = await client.ReadResponseHeadAsync();
        response.Status.Should().Be(101);
        response.Headers.TryGetValue("Sec-WebSocket-Extensions", out string? extensions).Should().Be(negotiated);
        if (negotiated)
        {
            extensions.Should().StartWith("permessage-deflate");
        }
    }

    [Fact]
    public async Task Compressed_2x_session_carries_calls()
    {
        await using TestServer host = await TestServer.StartAsync(setup: s => s.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppPayload.FromJson($$"""{"currentTime":"{{new string('0', 2000)}}"}"""))));
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-Z"), [OcppProtocols.Ocpp201], o => o.DangerousDeflateOptions = new WebSocketDeflateOptions());
        (await station.CallAsync("Heartbeat")).GetProperty("currentTime").GetString().Should().HaveLength(2000);
    }

    [Fact]
    public async Task Compression_for_16_can_be_enabled_explicitly()
    {
        await using TestServer host = await TestServer.StartAsync(OcppServerOptions.Default with { EnableCompressionForOcpp16 = true });
        await using RawHttpClient client = await RawHttpClient.ConnectAsync(host.Port);
        await client.SendAsync(RawHttpClient.UpgradeRequest("/ocpp/CP-Z", OcppProtocols.Ocpp16, "Sec-WebSocket-Extensions: permessage-deflate\r\n"));
        (await client.ReadResponseHeadAsync()).Headers.Should().ContainKey("Sec-WebSocket-Extensions");
    }
}

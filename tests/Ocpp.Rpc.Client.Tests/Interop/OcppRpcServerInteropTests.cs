using System.Net;
using System.Text.Json;
using Ocpp.Rpc.Client.Tests.Support;

namespace Ocpp.Rpc.Client.Tests.Interop;

/// <summary>Our <see cref="OcppClient"/> against a real peer: the ocpp-rpc npm package's RPCServer in strict mode.</summary>
public sealed class OcppRpcServerInteropTests
{
    private static readonly byte[] BinaryPassword = [0x00, 0xFF, (byte)':', 0x80, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x7F, 0xC3, 0x28, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0x01];

    [Theory]
    [InlineData(OcppProtocols.Ocpp16)]
    [InlineData(OcppProtocols.Ocpp201)]
    public async Task Calls_flow_both_ways_with_a_real_ocpp_rpc_server(string protocol)
    {
        await using NodeCsms csms = await NodeCsms.StartAsync();
        string identity = "CP " + protocol;
        string hex = Convert.ToHexStringLower(BinaryPassword);
        OcppClientOptions options = Clients.For(csms.Endpoint, identity, protocol) with
        {
            Password = BinaryPassword,
            QueryParameters = [new("expectPassword", hex)],
        };
        await using var client = new OcppClient(options);
        client.Handle("GetConfiguration", _ => new(OcppPayload.FromJson("""{"configurationKey":[{"key":"HeartbeatInterval","readonly":false,"value":"300"}],"unknownKey":[]}""")));
        client.Handle("GetVariables", _ => new(OcppPayload.FromJson("""{"getVariableResult":[{"attributeStatus":"Accepted","attributeValue":"300","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}""")));

        await client.ConnectAsync();

        client.Protocol.Should().Be(protocol);
        JsonElement handshake = await csms.WaitForAsync(e => e.Is("handshake", identity));
        handshake.Str("password").Should().Be(hex, "binary password bytes arrive intact at ocpp-rpc");
        handshake.GetProperty("protocols").EnumerateArray().Select(p => p.GetString()).Should().Equal(protocol);

        bool is16 = protocol == OcppProtocols.Ocpp16;
        JsonElement boot = await client.CallAsync("BootNotification", OcppPayload.FromJson(is16
            ? """{"chargePointVendor":"Ocpp.Rpc","chargePointModel":"Interop"}"""
            : """{"reason":"PowerUp","chargingStation":{"model":"Interop","vendorName":"Ocpp.Rpc"}}""")).Within();
        boot.GetProperty("status").GetString().Should().Be("Accepted");
        boot.GetProperty("interval").GetInt32().Should().Be(300);

        JsonElement heartbeat = await client.CallAsync("Heartbeat").Within();
        heartbeat.GetProperty("currentTime").GetDateTimeOffset().Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));

        string status = is16
            ? """{"connectorId":1,"errorCode":"NoError","status":"Available"}"""
            : $$"""{"timestamp":"{{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ}}","connectorStatus":"Available","evseId":1,"connectorId":1}""";
        (await client.CallAsync("StatusNotification", OcppPayload.FromJson(status)).Within()).EnumerateObject().Should().BeEmpty();

        OcppRpcException refused = (await FluentActions.Awaiting(() => client.CallAsync("DataTransfer", OcppPayload.FromJson("""{"vendorId":"com.example"}""")))
            .Should().ThrowAsync<OcppRpcException>()).Which;
        refused.Code.Should().Be(OcppErrorCode.NotSupported);

        await FluentActions.Awaiting(() => client.CallAsync("Heartbeat", OcppPayload.FromJson("""{"unexpected":true}""")))
            .Should().ThrowAsync<OcppRpcException>("ocpp-rpc validates our request against the official schema");

        // The server called us back after boot: our handler's result reached it, and an unhandled action got a CALLERROR.
        string callBack = is16 ? "GetConfiguration" : "GetVariables";
        JsonElement result = await csms.WaitForAsync(e => e.Is("callResult", identity, callBack));
        result.GetProperty("result").GetRawText().Should().Contain("HeartbeatInterval").And.Contain("300");
        JsonElement error = await csms.WaitForAsync(e => e.Is("callError", identity, "ClearCache"));
        error.Str("code").Should().Be("NotImplemented");

        await client.CloseAsync();
        JsonElement gone = await csms.WaitForAsync(e => e.Is("disconnected", identity));
        gone.GetProperty("code").GetInt32().Should().Be(1000);
    }

    [Fact]
    public async Task Reconnects_after_ocpp_rpc_closes_normally_and_offers_only_the_pinned_subprotocol()
    {
        await using NodeCsms csms = await NodeCsms.StartAsync();
        const string identity = "CP-reconnect";
        await using var client = new OcppClient(Clients.For(csms.Endpoint, identity, OcppProtocols.Ocpp21, OcppProtocols.Ocpp201, OcppProtocols.Ocpp16));
        var events = new ClientEvents(client);
        await client.ConnectAsync();
        client.Protocol.Should().Be(OcppProtocols.Ocpp201, "ocpp-rpc picks its preferred protocol among those offered");

        await csms.SendCommandAsync(new { cmd = "close", identity, code = 1000, reason = "bye" });

        await Wait.UntilAsync(() => events.Contains("Reconnected"), "the client reconnected");
        await Wait.UntilAsync(() => client.State == OcppClientState.Open, "the client is open");
        events.All.Should().Contain("Disconnected:1000:retry");

        // The node process reports its handshakes on stdout, read asynchronously: wait for the second line.
        await Wait.UntilAsync(() => csms.Events.Count(e => e.Is("handshake", identity)) >= 2, "ocpp-rpc reported the second handshake");
        JsonElement[] handshakes = csms.Events.Where(e => e.Is("handshake", identity)).ToArray();
        handshakes.Should().HaveCount(2);
        handshakes[0].GetProperty("protocols").EnumerateArray().Select(p => p.GetString()).Should().Equal(OcppProtocols.Ocpp21, OcppProtocols.Ocpp201, OcppProtocols.Ocpp16);
        handshakes[1].GetProperty("protocols").EnumerateArray().Select(p => p.GetString()).Should().Equal(OcppProtocols.Ocpp201);
        (await client.CallAsync("Heartbeat").Within()).GetProperty("currentTime").ValueKind.Should().Be(JsonValueKind.String);
    }

    [Fact]
    public async Task A_401_from_ocpp_rpc_surfaces_with_its_status()
    {
        await using NodeCsms csms = await NodeCsms.StartAsync();
        await using var client = new OcppClient(Clients.For(csms.Endpoint, "reject-me"));

        OcppConnectException error = (await FluentActions.Awaiting(() => client.ConnectAsync()).Should().ThrowAsync<OcppConnectException>()).Which;

        error.Failure.Should().Be(OcppConnectFailure.Rejected);
        error.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}

using System.Text.Json;
using Ocpp.Rpc.Interop.Tests.Support;

namespace Ocpp.Rpc.Interop.Tests;

// ocpp-ws-io 2.3.2's OCPPClient (strict mode) as the station, against our OcppServer (strict mode):
// tests/interop/ocpp-ws-io-client.js.
public sealed class OcppWsIoStationTests
{
    private const string Package = "ocpp-ws-io";
    private const string Script = "ocpp-ws-io-client.js";

    [Theory]
    [InlineData(OcppProtocols.Ocpp16)]
    [InlineData(OcppProtocols.Ocpp201)]
    [InlineData(OcppProtocols.Ocpp21)]
    public async Task The_whole_exchange_runs_both_ways_with_basic_auth(string protocol)
    {
        await using CsmsHost host = await Exchanges.StartServerAsync(basicAuth: true);
        string identity = "WSIO-" + protocol.Replace(".", "", StringComparison.Ordinal);
        await using NodePeer station = NodePeer.Start(Package, Script, host.Endpoint, identity, protocol, Exchanges.Password);

        (await station.WaitForAsync("connected")).Str("protocol").Should().Be(protocol);
        host.Handshakes.Should().ContainSingle().Which.PasswordOk.Should().BeTrue("ocpp-ws-io sends the identity and password as Basic auth");

        // Station -> CSMS: every call answered, checked by both sides' schemas.
        foreach ((string action, string request, string response) in Exchanges.StationCalls(protocol))
        {
            JsonElement result = await station.CallOkAsync(action, request);
            JsonElement.DeepEquals(result, JsonElement.Parse(response)).Should().BeTrue($"{action} returns our answer, got {result.GetRawText()}");
        }

        host.Received.Select(r => r.Action).Should().Equal(Exchanges.StationCalls(protocol).Select(c => c.Action));
        host.Received.Should().OnlyContain(r => r.Protocol == protocol);

        // A CALLERROR from the CSMS reaches the station with its code, description and details.
        JsonElement refused = await station.CallAsync(Exchanges.RefusedAction, Exchanges.RefusedRequest);
        refused.Event().Should().Be("error");
        refused.Str("code").Should().Be("NotSupported");
        refused.Str("message").Should().Contain("vendor not supported");
        refused.GetProperty("details").GetProperty("vendor").GetString().Should().Be("org.interop");

        // CSMS -> station: answered by the station's handlers, and its NotImplemented for an action it lacks.
        foreach ((string action, string request, string expect) in Exchanges.CsmsCalls(protocol))
        {
            JsonElement answer = await host.Server.CallAsync(identity, action, OcppPayload.FromJson(request));
            answer.TryGetProperty(expect, out _).Should().BeTrue($"{action} is answered, got {answer.GetRawText()}");
            (await station.WaitForAsync("handled", e => e.Str("method") == action)).GetProperty("params").GetRawText().Should().Be(JsonElement.Parse(request).GetRawText());
        }

        Func<Task> unhandled = () => host.Server.CallAsync(identity, Exchanges.UnhandledAction);
        await unhandled.Should().ThrowAsync<OcppNotImplementedException>();
        host.Server.GetConnection(identity).State.Should().Be(OcppConnectionState.Open);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_401()
    {
        await using CsmsHost host = await Exchanges.StartServerAsync(basicAuth: true);
        await using NodePeer station = NodePeer.Start(Package, Script, host.Endpoint, "WSIO-BAD-PASS", OcppProtocols.Ocpp201, "not-the-password-000");

        JsonElement failed = await station.WaitForAsync("connectFailed");
        failed.Str("message").Should().Contain("401");
        host.Server.ConnectionCount.Should().Be(0);
    }

    [Theory]
    [InlineData(OcppProtocols.Ocpp201)]
    [InlineData(OcppProtocols.Ocpp21)]
    public async Task Permessage_deflate_is_negotiated_on_2x_and_the_exchange_goes_through_it(string protocol)
    {
        await using CsmsHost host = await Exchanges.StartServerAsync();
        await using NodePeer station = NodePeer.Start(Package, Script, host.Endpoint, "WSIO-DEFLATE", protocol, "-", "compress");

        JsonElement connected = await station.WaitForAsync("connected");
        connected.Str("extensions").Should().Be("permessage-deflate", "our server accepted the offer");
        host.Handshakes.Should().ContainSingle().Which.Extensions.Should().Contain("permessage-deflate");

        // Calls both ways over the negotiated extension (ocpp-ws-io's compression threshold is 0 here, so it compresses
        // every message; its underlying `ws` client offers permessage-deflate even without that option).
        (await station.CallOkAsync("BootNotification", Exchanges.StationCalls(protocol)[0].Request)).GetProperty("status").GetString().Should().Be("Accepted");
        JsonElement variables = await host.Server.CallAsync("WSIO-DEFLATE", "GetVariables", OcppPayload.FromJson(Exchanges.CsmsCalls(protocol)[1].Request));
        variables.GetProperty("getVariableResult")[0].GetProperty("attributeValue").GetString().Should().Be("300");
    }

    [Fact]
    public async Task The_station_reconnects_after_the_server_restarts()
    {
        CsmsHost host = await Exchanges.StartServerAsync();
        int port = host.Port;
        await using NodePeer station = NodePeer.Start(Package, Script, host.Endpoint, "WSIO-RECONNECT", OcppProtocols.Ocpp201);
        await station.WaitForAsync("connected");
        (await station.CallOkAsync("Heartbeat")).GetProperty("currentTime").GetString().Should().Be(Exchanges.Now);

        await host.DisposeAsync();
        JsonElement dropped = await station.WaitForAsync("disconnected");
        dropped.GetProperty("code").GetInt32().Should().NotBe(1000, "a server shutting down is not a normal close for the station; it retries");

        await using CsmsHost again = await Exchanges.StartServerAsync(port: port);
        int connections = 0;
        await station.WaitForAsync("connected", _ => ++connections == 2);
        (await station.CallOkAsync("Heartbeat")).GetProperty("currentTime").GetString().Should().Be(Exchanges.Now);
        again.Received.Should().ContainSingle(r => r.Action == "Heartbeat");
    }
}

using System.Text.Json;
using Ocpp.Rpc.Interop.Tests.Support;

namespace Ocpp.Rpc.Interop.Tests;

// ocpp-task-manager 1.1.3 (transport-agnostic; wired to a `ws` WebSocket as its sender and receiver) as a 1.6
// station against our OcppServer: tests/interop/ocpp-task-manager-client.js.
public sealed class OcppTaskManagerTests
{
    private const string Package = "ocpp-task-manager";
    private const string Script = "ocpp-task-manager-client.js";
    private const string Protocol = OcppProtocols.Ocpp16;

    [Fact]
    public async Task Its_station_runs_the_whole_exchange_against_OcppServer_with_basic_auth()
    {
        await using CsmsHost host = await Exchanges.StartServerAsync(basicAuth: true);
        await using NodePeer station = NodePeer.Start(Package, Script, host.Endpoint, "TM-STATION", Exchanges.Password);
        (await station.WaitForAsync("connected")).Str("protocol").Should().Be(Protocol);
        host.Handshakes.Should().ContainSingle().Which.PasswordOk.Should().BeTrue();

        foreach ((string action, string request, string response) in Exchanges.StationCalls(Protocol))
        {
            JsonElement result = await station.CallOkAsync(action, request);
            JsonElement.DeepEquals(result, JsonElement.Parse(response)).Should().BeTrue($"{action} returns our answer, got {result.GetRawText()}");
        }

        host.Received.Select(r => r.Action).Should().Equal(Exchanges.StationCalls(Protocol).Select(c => c.Action));

        JsonElement refused = await station.CallAsync(Exchanges.RefusedAction, Exchanges.RefusedRequest);
        refused.Event().Should().Be("error");
        refused.Str("code").Should().Be("NotSupported");
        refused.Str("message").Should().Be("vendor not supported");
        refused.GetProperty("details").GetProperty("vendor").GetString().Should().Be("org.interop");

        foreach ((string action, string request, string expect) in Exchanges.CsmsCalls(Protocol))
        {
            JsonElement answer = await host.Server.CallAsync("TM-STATION", action, OcppPayload.FromJson(request));
            answer.TryGetProperty(expect, out _).Should().BeTrue($"{action} is answered, got {answer.GetRawText()}");
            (await station.WaitForAsync("handled", e => e.Str("method") == action)).GetProperty("params").GetRawText().Should().Be(JsonElement.Parse(request).GetRawText());
        }

        OcppNotImplementedException unhandled = (await FluentActions.Awaiting(() => host.Server.CallAsync("TM-STATION", Exchanges.UnhandledAction))
            .Should().ThrowAsync<OcppNotImplementedException>()).Which;
        unhandled.Description.Should().Be("Action isn't supported yet", "the package's catch-all handler answers");

        // Our strict mode refuses a request that breaks the schema; the station gets the CALLERROR and goes on.
        JsonElement invalid = await station.CallAsync("Heartbeat", """{"unexpected":true}""");
        invalid.Event().Should().Be("error");
        invalid.Str("code").Should().Be("PropertyConstraintViolation");
        (await station.CallOkAsync("Heartbeat")).GetProperty("currentTime").GetString().Should().Be(Exchanges.Now);
    }

    [Fact]
    public async Task Its_station_with_a_wrong_password_gets_401()
    {
        await using CsmsHost host = await Exchanges.StartServerAsync(basicAuth: true);
        await using NodePeer station = NodePeer.Start(Package, Script, host.Endpoint, "TM-BAD-PASS", "not-the-password-000");

        (await station.WaitForAsync("connectFailed")).GetProperty("status").GetInt32().Should().Be(401);
        host.Server.ConnectionCount.Should().Be(0);
    }

    [Fact]
    public async Task Its_station_reconnects_after_the_server_restarts()
    {
        CsmsHost host = await Exchanges.StartServerAsync();
        int port = host.Port;
        await using NodePeer station = NodePeer.Start(Package, Script, host.Endpoint, "TM-RECONNECT");
        await station.WaitForAsync("connected");
        (await station.CallOkAsync("Heartbeat")).GetProperty("currentTime").GetString().Should().Be(Exchanges.Now);

        await host.DisposeAsync();
        await station.WaitForAsync("disconnected");

        await using CsmsHost again = await Exchanges.StartServerAsync(port: port);
        int connections = 0;
        await station.WaitForAsync("connected", _ => ++connections == 2);
        (await station.CallOkAsync("Heartbeat")).GetProperty("currentTime").GetString().Should().Be(Exchanges.Now);
        again.Received.Should().ContainSingle(r => r.Action == "Heartbeat");
    }
}

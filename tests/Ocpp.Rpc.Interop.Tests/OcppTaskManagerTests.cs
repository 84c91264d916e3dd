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

        await Exchanges.RunStationCallsAsync(station, host, Protocol);

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

// What ocpp-task-manager 1.1.3 answers to frames that break OCPP-J, pinned with a bare `ws` CSMS that sends exact
// frames (tests/interop/raw-csms.js).
public sealed class OcppTaskManagerDeviationTests
{
    [Fact]
    public async Task It_ignores_malformed_frames_accepts_numeric_and_long_ids_and_a_null_payload()
    {
        await using NodePeer csms = await NodePeer.StartListeningAsync("ws", "raw-csms.js");
        await using NodePeer station = NodePeer.Start("ocpp-task-manager", "ocpp-task-manager-client.js", $"ws://127.0.0.1:{csms.Port}/ocpp", "TM-RAW");
        await csms.WaitForAsync("connected");
        await station.WaitForAsync("connected");

        // OCPP-J 1.6 §4.2.3: a CALL that cannot be read gets a CALLERROR; 2.0.1 §4.4 answers an unknown message type.
        // ocpp-task-manager ignores all three: the first frame it sends answers the valid CALL that follows.
        await csms.SendAsync(new { cmd = "send", message = """[2,"no-payload","Reset"]""" });
        await csms.SendAsync(new { cmd = "send", message = """[2,"broken","Reset",{""" });
        await csms.SendAsync(new { cmd = "send", message = """[7,"type-7","Reset",{}]""" });
        await csms.SendAsync(new { cmd = "send", message = """[2,"valid","Reset",{"type":"Soft"}]""" });
        (await Nth(1)).Str("message").Should().Be("""[3,"valid",{"status":"Accepted"}]""");

        // OCPP-J: the message id is a string of at most 36 characters. A number is accepted and echoed as a number,
        // and a 40-character id is answered like any other.
        await csms.SendAsync(new { cmd = "send", message = """[2,5,"Reset",{"type":"Soft"}]""" });
        (await Nth(2)).Str("message").Should().Be("""[3,5,{"status":"Accepted"}]""");
        string id = new('z', 40);
        await csms.SendAsync(new { cmd = "send", message = $$"""[2,"{{id}}","Reset",{"type":"Soft"}]""" });
        (await Nth(3)).Str("message").Should().Be($$"""[3,"{{id}}",{"status":"Accepted"}]""");

        // A null payload is allowed by OCPP-J, and ocpp-task-manager hands it to the handler as null (per the spec).
        await csms.SendAsync(new { cmd = "send", message = """[2,"null-1","GetConfiguration",null]""" });
        (await Nth(4)).Str("message").Should().StartWith("""[3,"null-1",""");
        (await station.WaitForAsync("handled", e => e.Str("method") == "GetConfiguration")).GetProperty("params").ValueKind.Should().Be(JsonValueKind.Null);

        // The k-th frame the station sent.
        Task<JsonElement> Nth(int k)
        {
            int n = 0;
            return csms.WaitForAsync("received", _ => ++n == k);
        }
    }
}

using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Ocpp.Rpc.Interop.Tests.Support;

namespace Ocpp.Rpc.Interop.Tests;

// ocpp-ts 0.3.0 (its published package speaks OCPP 1.6 only), both ways: its OcppClient against our OcppServer
// (tests/interop/ocpp-ts-client.js) and its OcppServer against our OcppClient (tests/interop/ocpp-ts-server.js).
public sealed class OcppTsTests
{
    private const string Package = "ocpp-ts";
    private const string Protocol = OcppProtocols.Ocpp16;

    [Fact]
    public async Task Its_station_runs_the_whole_exchange_against_OcppServer_with_basic_auth()
    {
        await using CsmsHost host = await Exchanges.StartServerAsync(basicAuth: true);
        await using NodePeer station = NodePeer.Start(Package, "ocpp-ts-client.js", host.Endpoint + "/", "TS-STATION", Exchanges.Password);
        await station.WaitForAsync("connected");
        host.Handshakes.Should().ContainSingle().Which.Should().Be((Protocol, string.Empty, true), "ocpp-ts offers ocpp1.6, no compression, and our Basic auth header");

        await Exchanges.RunStationCallsAsync(station, host, Protocol);

        foreach ((string action, string request, string expect) in Exchanges.CsmsCalls(Protocol))
        {
            JsonElement answer = await host.Server.CallAsync("TS-STATION", action, OcppPayload.FromJson(request));
            answer.TryGetProperty(expect, out _).Should().BeTrue($"{action} is answered, got {answer.GetRawText()}");
        }

        // ocpp-ts has the schema of ClearCache but no listener here: NotImplemented.
        OcppNotImplementedException unhandled = (await FluentActions.Awaiting(() => host.Server.CallAsync("TS-STATION", Exchanges.UnhandledAction))
            .Should().ThrowAsync<OcppNotImplementedException>()).Which;
        unhandled.Description.Should().Be("Listener for action \"ClearCache\" not set");
        host.Server.GetConnection("TS-STATION").State.Should().Be(OcppConnectionState.Open);
    }

    [Fact]
    public async Task Its_station_with_a_wrong_password_is_refused()
    {
        await using CsmsHost host = await Exchanges.StartServerAsync(basicAuth: true);
        await using NodePeer station = NodePeer.Start(Package, "ocpp-ts-client.js", host.Endpoint + "/", "TS-BAD-PASS", "not-the-password-000");

        (await station.WaitForAsync("clientError")).Str("message").Should().Contain("401");
        host.Server.ConnectionCount.Should().Be(0);
    }

    [Fact]
    public async Task Its_server_runs_the_whole_exchange_with_OcppClient_with_basic_auth()
    {
        await using NodePeer csms = await NodePeer.StartListeningAsync(Package, "ocpp-ts-server.js", Exchanges.Password);
        await using OcppClient client = Stations.Create(csms, "DOTNET-TS", Protocol, Exchanges.Password);
        Stations.HandleCsmsCalls(client);
        await client.ConnectAsync();
        client.Protocol.Should().Be(Protocol);
        (await csms.WaitForAsync("authorization")).GetProperty("passwordOk").GetBoolean().Should().BeTrue();

        foreach ((string action, string request, string response) in Exchanges.StationCalls(Protocol))
        {
            JsonElement result = await client.CallAsync(action, OcppPayload.FromJson(request));
            JsonElement.DeepEquals(result, JsonElement.Parse(response)).Should().BeTrue($"{action} is answered as ocpp-ts's handler says, got {result.GetRawText()}");
            await csms.WaitForAsync("call", e => e.Str("method") == action && JsonElement.DeepEquals(e.GetProperty("params"), JsonElement.Parse(request)));
        }

        // ocpp-ts gives a handler no way to answer with a CALLERROR; an action without a listener gets NotImplemented.
        OcppNotImplementedException refused = (await FluentActions.Awaiting(() => client.CallAsync(Exchanges.RefusedAction, OcppPayload.FromJson(Exchanges.RefusedRequest)))
            .Should().ThrowAsync<OcppNotImplementedException>()).Which;
        refused.Description.Should().Be("Listener for action \"DataTransfer\" not set");

        // ocpp-ts deviation: a schema failure is FormationViolation with ajv's error list as errorDetails, a JSON array
        // (OCPP-J 1.6 §4.2.3: errorDetails is a JSON object; the raw frame is pinned below). Our reader takes details
        // that are not an object as {}; the session goes on.
        Func<Task> invalid = () => client.CallAsync("Heartbeat", OcppPayload.FromJson("""{"unexpected":true}"""), new OcppCallOptions { SkipValidation = true });
        OcppRpcException schema = (await invalid.Should().ThrowAsync<OcppRpcException>()).Which;
        schema.WireCode.Should().Be("FormationViolation");
        schema.Details!.Value.EnumerateObject().Should().BeEmpty();
        (await client.CallAsync("Heartbeat")).GetProperty("currentTime").GetString().Should().Be(Exchanges.Now);

        foreach ((string action, string request, string expect) in Exchanges.CsmsCalls(Protocol))
        {
            JsonElement outcome = await csms.CallAsync(action, request, "DOTNET-TS");
            outcome.Event().Should().Be("result", outcome.GetRawText());
            outcome.GetProperty("response").TryGetProperty(expect, out _).Should().BeTrue(outcome.GetRawText());
        }

        JsonElement unhandled = await csms.CallAsync(Exchanges.UnhandledAction, "{}", "DOTNET-TS");
        unhandled.Event().Should().Be("error");
        unhandled.Str("code").Should().Be("NotImplemented");
    }

    [Fact]
    public async Task Its_server_refuses_a_wrong_password_and_OcppClient_reconnects_after_it_closes_the_link()
    {
        await using NodePeer csms = await NodePeer.StartListeningAsync(Package, "ocpp-ts-server.js", Exchanges.Password);
        await using (OcppClient wrong = Stations.Create(csms, "DOTNET-TS-BAD", Protocol, "not-the-password-000"))
        {
            OcppConnectException error = (await FluentActions.Awaiting(() => wrong.ConnectAsync()).Should().ThrowAsync<OcppConnectException>()).Which;
            error.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        await using OcppClient client = Stations.Create(csms, "DOTNET-TS-RECONNECT", Protocol, Exchanges.Password);
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Connected += (_, e) =>
        {
            if (e.IsReconnect)
            {
                reconnected.TrySetResult();
            }
        };
        await client.ConnectAsync();
        await csms.SendAsync(new { cmd = "close", identity = "DOTNET-TS-RECONNECT" });
        await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(20));
        (await client.CallAsync("Heartbeat")).GetProperty("currentTime").GetString().Should().Be(Exchanges.Now);
    }

    [Fact]
    public async Task Its_server_ignores_malformed_frames_refuses_a_null_payload_and_details_errors_as_an_array()
    {
        await using NodePeer csms = await NodePeer.StartListeningAsync(Package, "ocpp-ts-server.js");
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(Protocol);
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{csms.Port}/ocpp/TS-RAW"), CancellationToken.None);

        // OCPP-J 1.6 §4.2.3: a CALL that cannot be read gets a CALLERROR (ProtocolError / FormationViolation).
        // ocpp-ts only logs it and answers nothing: the next frame we get answers our next CALL.
        await Raw.SendAsync(socket, """[2,"no-payload","Heartbeat"]""");
        await Raw.SendAsync(socket, """[2,"broken","Heartbeat",{""");
        (await Raw.ExchangeAsync(socket, """[2,"after","Heartbeat",{}]"""))[1].GetString().Should().Be("after");

        // OCPP-J: a null payload is allowed (prefer {}); ocpp-ts's schema check refuses it.
        JsonElement refused = await Raw.ExchangeAsync(socket, """[2,"null-1","Heartbeat",null]""");
        refused[0].GetInt32().Should().Be(4);
        refused[2].GetString().Should().Be("FormationViolation");

        // A schema failure: errorDetails is ajv's error array, where OCPP-J wants an object.
        JsonElement schema = await Raw.ExchangeAsync(socket, """[2,"extra","Heartbeat",{"unexpected":true}]""");
        schema[2].GetString().Should().Be("FormationViolation");
        schema[4].ValueKind.Should().Be(JsonValueKind.Array);
        schema[4][0].GetProperty("params").GetProperty("additionalProperty").GetString().Should().Be("unexpected");

        // Message ids over 36 characters (OCPP-J 1.6 §4.1.3) are not checked: answered as if valid.
        string id = new('y', 40);
        (await Raw.ExchangeAsync(socket, $$"""[2,"{{id}}","Heartbeat",{}]"""))[1].GetString().Should().Be(id);
    }
}

/// <summary>Raw frames over a ClientWebSocket, for pinning what a peer answers.</summary>
internal static class Raw
{
    public static async Task SendAsync(ClientWebSocket socket, string frame) =>
        await socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    public static async Task<JsonElement> ExchangeAsync(ClientWebSocket socket, string frame)
    {
        await SendAsync(socket, frame);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        int length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            length += result.Count;
        }
        while (!result.EndOfMessage);

        result.MessageType.Should().Be(WebSocketMessageType.Text);
        return JsonElement.Parse(buffer.AsSpan(0, length));
    }
}

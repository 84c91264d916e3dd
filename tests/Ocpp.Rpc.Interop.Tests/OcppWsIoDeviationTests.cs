using System.Net.WebSockets;
using System.Text.Json;
using Ocpp.Rpc.Interop.Tests.Support;

namespace Ocpp.Rpc.Interop.Tests;

// Where ocpp-ws-io 2.3.2 departs from OCPP-J, pinned frame by frame (a raw WebSocket against its OCPPServer), and how
// our side copes. Each case cites the rule it breaks; if a later ocpp-ws-io fixes one, its test fails here first.
public sealed class OcppWsIoDeviationTests
{
    private const string Package = "ocpp-ws-io";
    private const string Script = "ocpp-ws-io-server.js";

    [Theory]
    [InlineData(OcppProtocols.Ocpp16, "FormationViolation")]
    [InlineData(OcppProtocols.Ocpp201, "FormatViolation")]
    [InlineData(OcppProtocols.Ocpp21, "FormatViolation")]
    public async Task A_null_payload_is_refused(string protocol, string code)
    {
        // OCPP-J: the payload is a JSON object, and `null` is allowed for an empty one (prefer {}). ocpp-ws-io answers
        // a CALL with a null payload "Payload must be a JSON object, got null" (with the version's code spelling).
        await using NodePeer csms = await NodePeer.StartListeningAsync(Package, Script, "0");
        using ClientWebSocket socket = await RawAsync(csms, "RAW-NULL", protocol);

        JsonElement answer = await ExchangeAsync(socket, """[2,"null-1","Heartbeat",null]""");
        answer.GetRawText().Should().Be($$"""[4,"null-1","{{code}}","Payload must be a JSON object, got null",{}]""");
    }

    [Fact]
    public async Task A_message_id_over_36_characters_is_answered_as_if_valid()
    {
        // OCPP-J 1.6 §4.1.3 / 2.0.1 §4.2.1: the message id is at most 36 characters; a longer one deserves a
        // CALLERROR. ocpp-ws-io answers the CALL normally, echoing the 40-character id.
        await using NodePeer csms = await NodePeer.StartListeningAsync(Package, Script, "0");
        using ClientWebSocket socket = await RawAsync(csms, "RAW-LONG-ID", OcppProtocols.Ocpp201);
        string id = new('x', 40);

        JsonElement answer = await ExchangeAsync(socket, $$"""[2,"{{id}}","Heartbeat",{}]""");
        answer[0].GetInt32().Should().Be(3);
        answer[1].GetString().Should().Be(id);
    }

    [Fact]
    public async Task An_unknown_message_type_on_201_gets_no_MessageTypeNotSupported()
    {
        // OCPP 2.0.1 Part 4 §4.4: an unknown message type is answered with CALLERROR MessageTypeNotSupported.
        // ocpp-ws-io drops it as a bad message and answers nothing: the next frame we get answers our next CALL.
        await using NodePeer csms = await NodePeer.StartListeningAsync(Package, Script, "0");
        using ClientWebSocket socket = await RawAsync(csms, "RAW-TYPE-7", OcppProtocols.Ocpp201);

        await SendAsync(socket, """[7,"t-1","Heartbeat",{}]""");
        JsonElement next = await ExchangeAsync(socket, """[2,"after-7","Heartbeat",{}]""");
        next[0].GetInt32().Should().Be(3);
        next[1].GetString().Should().Be("after-7", "nothing answered the type-7 frame");
        await csms.WaitForAsync("badMessage", e => e.Str("identity") == "RAW-TYPE-7" && e.Str("message")!.StartsWith("[7,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_21_SEND_is_dropped_as_a_bad_message()
    {
        // OCPP 2.1 Part 4 §4.2.4: SEND [6, id, action, payload] is a valid message, never answered. ocpp-ws-io counts it
        // as a bad message ("Payload must be a JSON object, got string") and never hands it to its handler.
        await using NodePeer csms = await NodePeer.StartListeningAsync(Package, Script, "0");
        using ClientWebSocket socket = await RawAsync(csms, "RAW-SEND", OcppProtocols.Ocpp21);

        await SendAsync(socket, """[6,"send-1","NotifyPeriodicEventStream",{"id":1,"pending":0,"basetime":"2025-01-01T00:00:00Z","data":[{"t":0,"v":"1"}]}]""");
        JsonElement next = await ExchangeAsync(socket, """[2,"after-send","Heartbeat",{}]""");
        next[1].GetString().Should().Be("after-send");
        (await csms.WaitForAsync("badMessage", e => e.Str("identity") == "RAW-SEND")).Str("error").Should().Be("Payload must be a JSON object, got string");
        csms.Count("call", e => e.Str("method") == "NotifyPeriodicEventStream").Should().Be(0, "the SEND never reached its handler");
    }

    [Fact]
    public async Task With_a_finite_maxBadMessages_our_21_station_sending_SENDs_is_disconnected_and_reconnects()
    {
        // The consequence of the SEND deviation: ocpp-ws-io with maxBadMessages = 2 closes a 2.1 station that sends two
        // SENDs, though it broke no rule. Our client sees the close, reconnects, and its calls work again.
        await using NodePeer csms = await NodePeer.StartListeningAsync(Package, Script, "0", "maxBadMessages=2");
        await using OcppClient client = Stations.Create(csms, "DOTNET-SEND", OcppProtocols.Ocpp21);
        var disconnected = new TaskCompletionSource<OcppClientDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Disconnected += (_, e) => disconnected.TrySetResult(e);
        client.Connected += (_, e) =>
        {
            if (e.IsReconnect)
            {
                reconnected.TrySetResult();
            }
        };
        await client.ConnectAsync();

        const string Stream = """{"id":1,"pending":0,"basetime":"2025-01-01T00:00:00Z","data":[{"t":0,"v":"1"}]}""";
        await client.SendAsync("NotifyPeriodicEventStream", OcppPayload.FromJson(Stream));
        await client.SendAsync("NotifyPeriodicEventStream", OcppPayload.FromJson(Stream));

        OcppClientDisconnectedEventArgs closed = await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(20));
        (await csms.WaitForAsync("disconnected", e => e.Str("identity") == "DOTNET-SEND")).GetProperty("code").GetInt32().Should().Be(closed.Code);
        closed.WillReconnect.Should().BeTrue();
        csms.Count("badMessage", e => e.Str("identity") == "DOTNET-SEND").Should().Be(2);
        await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(20));
        (await client.CallAsync("Heartbeat")).GetProperty("currentTime").GetString().Should().Be(Exchanges.Now);
    }

    [Fact]
    public async Task Our_21_server_SEND_reaches_an_ocpp_ws_io_station_only_as_a_bad_message()
    {
        // The same deviation in ocpp-ws-io's client: our server's SEND is counted as a bad message by the station and
        // not handled; with its default maxBadMessages (Infinity) the session goes on.
        await using CsmsHost host = await Exchanges.StartServerAsync();
        await using NodePeer station = NodePeer.Start(Package, "ocpp-ws-io-client.js", host.Endpoint, "WSIO-GETS-SEND", OcppProtocols.Ocpp21);
        await station.WaitForAsync("connected");

        await host.Server.GetConnection("WSIO-GETS-SEND").SendAsync("NotifyPeriodicEventStream", OcppPayload.FromJson("""{"id":1,"pending":0,"basetime":"2025-01-01T00:00:00Z","data":[{"t":0,"v":"1"}]}"""));
        (await station.WaitForAsync("badMessage")).Str("error").Should().Be("Payload must be a JSON object, got string");
        (await station.CallOkAsync("Heartbeat")).GetProperty("currentTime").GetString().Should().Be(Exchanges.Now);
    }

    private static async Task<ClientWebSocket> RawAsync(NodePeer csms, string identity, string protocol)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(protocol);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{csms.Port}/ocpp/{identity}"), timeout.Token);
        socket.SubProtocol.Should().Be(protocol);
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, string frame) => Raw.SendAsync(socket, frame);

    private static Task<JsonElement> ExchangeAsync(ClientWebSocket socket, string frame) => Raw.ExchangeAsync(socket, frame);
}

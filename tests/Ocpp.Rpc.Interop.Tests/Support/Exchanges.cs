using System.Globalization;
using System.Net;
using System.Text.Json;
using Ocpp.Rpc.Validation;

namespace Ocpp.Rpc.Interop.Tests.Support;

/// <summary>
/// The messages of the exchange every peer goes through, per OCPP version, valid against the official schemas;
/// and our side of it (an <see cref="OcppServer"/> answering them, an <see cref="OcppClient"/> handling the CSMS's calls).
/// </summary>
internal static class Exchanges
{
    public const string Now = "2025-01-01T00:00:00.000Z";
    public const string IdTag = "TAG-0001";
    public const int TransactionId16 = 4242;
    public const string TransactionId2x = "TX-0001";

    /// <summary>1.6: 16 to 20 bytes (OCPP 1.6 security whitepaper); 2.x: 16 to 40 characters.</summary>
    public const string Password = "interop-pass-0123456";

    public static bool Is16(string protocol) => protocol == OcppProtocols.Ocpp16;

    /// <summary>The station's calls, in order: (action, request payload, what the CSMS answers).</summary>
    public static IReadOnlyList<(string Action, string Request, string Response)> StationCalls(string protocol) => Is16(protocol)
        ?
        [
            ("BootNotification", """{"chargePointVendor":"InteropVendor","chargePointModel":"NodeStation"}""", $$"""{"status":"Accepted","currentTime":"{{Now}}","interval":300}"""),
            ("Heartbeat", "{}", $$"""{"currentTime":"{{Now}}"}"""),
            ("StatusNotification", """{"connectorId":1,"errorCode":"NoError","status":"Available"}""", "{}"),
            ("Authorize", $$"""{"idTag":"{{IdTag}}"}""", """{"idTagInfo":{"status":"Accepted"}}"""),
            ("StartTransaction", $$"""{"connectorId":1,"idTag":"{{IdTag}}","meterStart":0,"timestamp":"{{Now}}"}""", $$$"""{"transactionId":{{{TransactionId16}}},"idTagInfo":{"status":"Accepted"}}"""),
            ("MeterValues", $$$"""{"connectorId":1,"transactionId":{{{TransactionId16}}},"meterValue":[{"timestamp":"{{{Now}}}","sampledValue":[{"value":"120","measurand":"Energy.Active.Import.Register","unit":"Wh"}]}]}""", "{}"),
            ("StopTransaction", $$"""{"transactionId":{{TransactionId16}},"meterStop":240,"timestamp":"{{Now}}","reason":"Local"}""", """{"idTagInfo":{"status":"Accepted"}}"""),
        ]
        :
        [
            ("BootNotification", """{"reason":"PowerUp","chargingStation":{"model":"NodeStation","vendorName":"InteropVendor"}}""", $$"""{"status":"Accepted","currentTime":"{{Now}}","interval":300}"""),
            ("Heartbeat", "{}", $$"""{"currentTime":"{{Now}}"}"""),
            ("StatusNotification", $$"""{"timestamp":"{{Now}}","connectorStatus":"Available","evseId":1,"connectorId":1}""", "{}"),
            ("Authorize", $$$"""{"idToken":{"idToken":"{{{IdTag}}}","type":"ISO14443"}}""", """{"idTokenInfo":{"status":"Accepted"}}"""),
            ("TransactionEvent", TransactionEvent("Started", "Authorized", 0, $$$""","idToken":{"idToken":"{{{IdTag}}}","type":"ISO14443"},"evse":{"id":1,"connectorId":1}"""), """{"idTokenInfo":{"status":"Accepted"}}"""),
            ("TransactionEvent", TransactionEvent("Updated", "MeterValuePeriodic", 1, $$$""","meterValue":[{"timestamp":"{{{Now}}}","sampledValue":[{"value":120.5,"measurand":"Energy.Active.Import.Register"}]}]"""), "{}"),
            ("TransactionEvent", TransactionEvent("Ended", "StopAuthorized", 2, string.Empty, ""","stoppedReason":"Local" """), "{}"),
        ];

    /// <summary>A vendor call the CSMS refuses: CALLERROR NotSupported with details.</summary>
    public const string RefusedAction = "DataTransfer";
    public const string RefusedRequest = """{"vendorId":"org.interop","messageId":"refuse-me"}""";

    /// <summary>The CSMS's calls to the station: (action, request, a property the station's answer must have).</summary>
    public static IReadOnlyList<(string Action, string Request, string Expect)> CsmsCalls(string protocol) => Is16(protocol)
        ?
        [
            ("Reset", """{"type":"Soft"}""", "status"),
            ("GetConfiguration", """{"key":["HeartbeatInterval"]}""", "configurationKey"),
        ]
        :
        [
            ("Reset", """{"type":"Immediate"}""", "status"),
            ("GetVariables", """{"getVariableData":[{"component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}""", "getVariableResult"),
        ];

    /// <summary>An action the station's library has no handler for: it answers NotImplemented.</summary>
    public const string UnhandledAction = "ClearCache";

    private static string TransactionEvent(string eventType, string trigger, int seqNo, string extra, string info = "") =>
        $$$"""{"eventType":"{{{eventType}}}","timestamp":"{{{Now}}}","triggerReason":"{{{trigger}}}","seqNo":{{{seqNo.ToString(CultureInfo.InvariantCulture)}}},"transactionInfo":{"transactionId":"{{{TransactionId2x}}}"{{{info}}}}{{{extra}}}}""";

    /// <summary>Strict mode on our side too, with the official schemas.</summary>
    /// <summary>
    /// The station's side of the exchange through a peer's station against our server: every station call answered as
    /// <see cref="StationCalls"/> says and received in order, then the refused vendor call as a CALLERROR with its details.
    /// </summary>
    public static async Task RunStationCallsAsync(NodePeer station, CsmsHost host, string protocol)
    {
        foreach ((string action, string request, string response) in StationCalls(protocol))
        {
            JsonElement result = await station.CallOkAsync(action, request);
            JsonElement.DeepEquals(result, JsonElement.Parse(response)).Should().BeTrue($"{action} returns our answer, got {result.GetRawText()}");
        }

        host.Received.Select(r => r.Action).Should().Equal(StationCalls(protocol).Select(c => c.Action));

        JsonElement refused = await station.CallAsync(RefusedAction, RefusedRequest);
        refused.Event().Should().Be("error");
        refused.Str("code").Should().Be("NotSupported");
        refused.Str("message").Should().Be("vendor not supported");
        refused.GetProperty("details").GetProperty("vendor").GetString().Should().Be("org.interop");
    }

    public static OcppConnectionOptions StrictConnection { get; } = OcppConnectionOptions.Default with { Validator = new OcppSchemaValidator() };

    /// <summary>An OcppServer on 127.0.0.1 and a free port (or <paramref name="port"/>), strict, answering <see cref="StationCalls"/>.</summary>
    public static async Task<CsmsHost> StartServerAsync(bool basicAuth = false, int port = 0, Action<OcppServer>? setup = null)
    {
        var received = new System.Collections.Concurrent.ConcurrentQueue<(string Protocol, string Action, JsonElement Payload)>();
        var handshakes = new System.Collections.Concurrent.ConcurrentQueue<(string? Protocol, string Extensions, bool PasswordOk)>();
        OcppServerOptions options = OcppServerOptions.Default with
        {
            Connection = StrictConnection,
            SecurityProfile = basicAuth ? OcppSecurityProfile.BasicAuth : OcppSecurityProfile.None,
            Authenticate = (h, _) =>
            {
                bool ok = h.PasswordEquals(Password);
                handshakes.Enqueue((h.Protocol, h.Headers["Sec-WebSocket-Extensions"].ToString(), ok));
                return ValueTask.FromResult(!basicAuth || ok ? OcppAuthResult.Accept() : OcppAuthResult.Reject());
            },
        };
        var server = new OcppServer(options);
        server.HandleAny(ctx =>
        {
            received.Enqueue((ctx.Protocol!, ctx.Action, ctx.PayloadElement.Clone()));
            if (ctx.Action == RefusedAction)
            {
                throw new OcppNotSupportedException("vendor not supported", JsonElement.Parse("""{"vendor":"org.interop"}"""));
            }

            string protocol = ctx.Protocol!;
            if (ctx.Action == "TransactionEvent")
            {
                bool started = ctx.PayloadElement.GetProperty("eventType").GetString() == "Started";
                return new ValueTask<OcppReply>(OcppPayload.FromJson(started ? """{"idTokenInfo":{"status":"Accepted"}}""" : "{}"));
            }

            foreach ((string action, _, string response) in StationCalls(protocol))
            {
                if (action == ctx.Action)
                {
                    return new ValueTask<OcppReply>(OcppPayload.FromJson(response));
                }
            }

            throw new OcppNotImplementedException($"{ctx.Action} is not handled by this test CSMS");
        });
        setup?.Invoke(server);
        await server.ListenAsync(port, IPAddress.Loopback);
        return new CsmsHost(server, received, handshakes);
    }
}

internal sealed record CsmsHost(
    OcppServer Server,
    System.Collections.Concurrent.ConcurrentQueue<(string Protocol, string Action, JsonElement Payload)> Received,
    System.Collections.Concurrent.ConcurrentQueue<(string? Protocol, string Extensions, bool PasswordOk)> Handshakes) : IAsyncDisposable
{
    public int Port => Server.Port!.Value;

    public string Endpoint => $"ws://127.0.0.1:{Port}/ocpp";

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

using System.Collections.Concurrent;
using System.Text.Json;
using Ocpp.Rpc.AspNetCore.Tests.Support;

namespace Ocpp.Rpc.AspNetCore.Tests;

// Our server against a real peer: the ocpp-rpc npm package's RPCClient (tests/interop/ocpp-rpc-client.js).
public class InteropTests
{
    [Theory]
    [InlineData(OcppProtocols.Ocpp16, "Soft", true)]
    [InlineData(OcppProtocols.Ocpp201, "Immediate", false)]
    public async Task Ocpp_rpc_station_exchanges_calls_in_both_directions(string protocol, string resetType, bool withPassword)
    {
        const string Password = "interop-password-0123";
        var received = new ConcurrentDictionary<string, JsonElement>();
        OcppServerOptions options = withPassword
            ? OcppServerOptions.Default with
            {
                SecurityProfile = OcppSecurityProfile.BasicAuth,
                Authenticate = (h, _) => ValueTask.FromResult(h.PasswordEquals(Password) ? OcppAuthResult.Accept() : OcppAuthResult.Reject()),
            }
            : OcppServerOptions.Default;
        await using TestServer host = await TestServer.StartAsync(options, server =>
        {
            server.HandleAny(ctx =>
            {
                received[ctx.Action] = ctx.PayloadElement.Clone();
                return ctx.Action switch
                {
                    "BootNotification" => Reply($$"""{"status":"Accepted","currentTime":"{{Now}}","interval":300}"""),
                    "Heartbeat" => Reply($$"""{"currentTime":"{{Now}}"}"""),
                    _ => throw new OcppRpcException(OcppErrorCode.NotSupported, "vendor not supported", JsonElement.Parse("""{"vendor":"org.interop"}""")),
                };
            });
        });
        Task<OcppStationConnectedEventArgs> connected = Await.NextConnected(host.Server);

        string[] arguments = withPassword
            ? [$"ws://127.0.0.1:{host.Port}/ocpp", "NODE-CP-1", protocol, Password]
            : [$"ws://127.0.0.1:{host.Port}/ocpp", "NODE-CP-1", protocol];
        await using NodePeer peer = NodePeer.Start("ocpp-rpc-client.js", arguments);

        // Station -> server: two CALLRESULTs and one CALLERROR.
        JsonElement hello = await peer.WaitForAsync("connected");
        hello.GetProperty("protocol").GetString().Should().Be(protocol);
        (await connected).Connection.Protocol.Should().Be(protocol);
        await peer.WaitForAsync("ready");
        peer.Find("result", "BootNotification").GetProperty("response").GetProperty("status").GetString().Should().Be("Accepted");
        peer.Find("result", "Heartbeat").GetProperty("response").GetProperty("currentTime").GetString().Should().Be(Now);
        JsonElement error = peer.Find("error", "DataTransfer");
        error.GetProperty("code").GetString().Should().Be("NotSupported");
        error.GetProperty("message").GetString().Should().Contain("vendor not supported");
        error.GetProperty("details").GetProperty("vendor").GetString().Should().Be("org.interop");
        string vendorField = protocol == OcppProtocols.Ocpp16 ? "chargePointVendor" : "chargingStation";
        received["BootNotification"].TryGetProperty(vendorField, out _).Should().BeTrue();

        // Server -> station: a CALLRESULT and a CALLERROR (NotImplemented from the peer).
        JsonElement reset = await host.Server.CallAsync("NODE-CP-1", "Reset", OcppPayload.FromJson($$"""{"type":"{{resetType}}"}"""));
        reset.GetProperty("status").GetString().Should().Be("Accepted");
        Func<Task> unknown = () => host.Server.CallAsync("NODE-CP-1", "GetLocalListVersion");
        (await unknown.Should().ThrowAsync<OcppNotImplementedException>()).Which.Description.Should().Contain("not implemented here");

        // The server closes; the station reports the code and exits cleanly.
        await host.Server.GetConnection("NODE-CP-1").CloseAsync(new OcppCloseOptions { Reason = "done" });
        JsonElement closed = await peer.WaitForAsync("closed");
        closed.GetProperty("code").GetInt32().Should().Be(1000);
        (await peer.WaitForExitAsync()).Should().Be(0, peer.Stderr);
        peer.Find("handled", "Reset").GetProperty("params").GetProperty("type").GetString().Should().Be(resetType);
    }

    [Fact]
    public async Task Ocpp_rpc_station_with_a_wrong_password_is_refused()
    {
        var options = OcppServerOptions.Default with
        {
            SecurityProfile = OcppSecurityProfile.BasicAuth,
            Authenticate = (h, _) => ValueTask.FromResult(h.PasswordEquals("the-right-password-1") ? OcppAuthResult.Accept() : OcppAuthResult.Reject()),
        };
        await using TestServer host = await TestServer.StartAsync(options);
        await using NodePeer peer = NodePeer.Start("ocpp-rpc-client.js", $"ws://127.0.0.1:{host.Port}/ocpp", "NODE-CP-2", OcppProtocols.Ocpp16, "a-wrong-password-000");
        (await peer.WaitForAsync("connectFailed")).GetProperty("message").GetString().Should().Be("Unauthorized", "the peer reports the 401 status text");
        host.Server.ConnectionCount.Should().Be(0);
    }

    private const string Now = "2025-01-01T00:00:00.000Z";

    private static ValueTask<OcppReply> Reply(string json) => new(OcppPayload.FromJson(json));
}

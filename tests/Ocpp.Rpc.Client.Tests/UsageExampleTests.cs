using System.Text.Json;
using Ocpp.Rpc.Client.Tests.Support;

namespace Ocpp.Rpc.Client.Tests;

/// <summary>The README's client example, run against the test CSMS so it keeps compiling and working.</summary>
public sealed class UsageExampleTests
{
    [Fact]
    public async Task The_readme_example_works()
    {
        await using TestCsms csms = await TestCsms.StartAsync();
        csms.Handlers.Handle("BootNotification", _ => new(OcppPayload.FromJson("""{"status":"Accepted","currentTime":"2025-01-01T00:00:00Z","interval":300}""")));
        var lines = new List<string>();

        // --- README ---
        var options = new OcppClientOptions
        {
            Endpoint = csms.Endpoint,                            // e.g. new Uri("wss://csms.example.com/ocpp")
            Identity = "CP-0042",                                // URL: endpoint + "/" + percent-encoded identity
            Protocols = [OcppProtocols.Ocpp201, OcppProtocols.Ocpp16],
            KeepAliveInterval = TimeSpan.FromSeconds(30),        // ping; no pong within KeepAliveTimeout => reconnect
            Reconnect = new OcppReconnectOptions { WaitMinimum = TimeSpan.FromSeconds(10), RandomRange = TimeSpan.FromSeconds(5), RepeatTimes = 3 },
        }.WithPassword("0123456789abcdef0123");                 // profile 1/2; WithHexPassword for a 1.6 AuthorizationKey

        await using var client = new OcppClient(options);
        client.Handle("GetVariables", _ => new(OcppPayload.FromJson("""{"getVariableResult":[]}""")));  // survives reconnects
        client.Disconnected += (_, e) => lines.Add($"lost link: {e.Code}, reconnecting: {e.WillReconnect}");

        await client.ConnectAsync();                             // OcppConnectException (e.g. StatusCode 401) on rejection
        JsonElement boot = await client.CallAsync("BootNotification", OcppPayload.FromJson(
            """{"reason":"PowerUp","chargingStation":{"model":"X1","vendorName":"Acme"}}"""));
        lines.Add($"{client.Protocol}: {boot.GetProperty("status")}");  // "ocpp2.0.1: Accepted"
        await client.CloseAsync();
        // --- end ---

        lines.Should().Equal("ocpp2.0.1: Accepted", "lost link: 1000, reconnecting: False");
    }
}

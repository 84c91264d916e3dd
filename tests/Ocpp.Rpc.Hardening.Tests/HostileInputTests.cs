using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Hardening.Tests.Support;
using Ocpp.Rpc.Transport;
using Ocpp.Rpc.Validation;

namespace Ocpp.Rpc.Hardening.Tests;

/// <summary>
/// Second-round hardening, items 4-6: over-long ids are never echoed, the bad-message limit cannot be dodged by
/// interleaving good messages, warnings about a peer are rate-limited, and peer text reaches logs escaped.
/// </summary>
public sealed class HostileInputTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("ocpp1.6", "FormationViolation")]
    [InlineData("ocpp2.0.1", "RpcFrameworkError")]
    [InlineData("ocpp2.1", "RpcFrameworkError")]
    public async Task A_million_character_id_is_answered_with_id_minus_one_not_echoed(string protocol, string code)
    {
        using var watch = new ProcessWatch();
        await using OcppServer server = await StartAsync(watch.LoggerFactory);
        await using RawWebSocket ws = await RawWebSocket.ConnectAsync(server.Port!.Value, "/ocpp/CP-LONGID", protocol);

        await ws.SendTextAsync($$"""[2,"{{new string('x', 1_000_000)}}","Heartbeat",{}]""");
        RawMessage reply = await ws.ReceiveMessageAsync(Bound);

        reply.Kind.Should().Be(RawKind.Text);
        reply.Payload.Length.Should().BeLessThan(300, "the reply must not carry the million-character id");
        using JsonDocument frame = JsonDocument.Parse(reply.Payload);
        frame.RootElement[0].GetInt32().Should().Be(4);
        frame.RootElement[1].GetString().Should().Be("-1");
        frame.RootElement[2].GetString().Should().Be(code);

        // The connection is still usable.
        await ws.SendTextAsync("""[2,"ok","Heartbeat",{}]""");
        (await ws.ReceiveMessageAsync(Bound)).Text.Should().StartWith("""[3,"ok",""");
        watch.AssertClean();
    }

    [Fact]
    public async Task Bad_messages_interleaved_with_good_ones_still_close_the_connection_within_a_minute()
    {
        using var watch = new ProcessWatch();
        await using OcppServer server = await StartAsync(watch.LoggerFactory);
        await using Bystander bystander = await Bystander.StartAsync(server.Endpoint());
        await using RawWebSocket ws = await RawWebSocket.ConnectAsync(server.Port!.Value, "/ocpp/CP-INTERLEAVE", "ocpp1.6");

        // One good message after each bad one resets the consecutive count every time.
        var send = Task.Run(async () =>
        {
            try
            {
                for (int i = 0; i < 500; i++)
                {
                    await ws.SendTextAsync("not json");
                    await ws.SendTextAsync($$"""[2,"g{{i}}","Heartbeat",{}]""");
                }
            }
            catch (IOException)
            {
                // The server closed on us: expected.
            }
        });

        int errors = 0;
        RawMessage message;
        do
        {
            message = await ws.ReceiveMessageAsync(Bound);
            if (message.Kind == RawKind.Text && message.Text.StartsWith("[4,", StringComparison.Ordinal))
            {
                errors++;
            }
        }
        while (message.Kind == RawKind.Text);

        message.Kind.Should().Be(RawKind.Close, "the windowed limit closes the connection");
        message.CloseCode.Should().Be(OcppCloseCodes.ProtocolError);
        errors.Should().BeGreaterThanOrEqualTo(29).And.BeLessThanOrEqualTo(30, "the default limit is 30 bad messages a minute");
        await send.Within(Bound, "the sender stops");
        bystander.Failures.Should().BeEmpty();
        watch.AssertClean();
    }

    [Fact]
    public async Task Warnings_about_a_flooding_peer_are_rate_limited_and_the_rest_counted()
    {
        var logs = new LogCapture(LogLevel.Information);
        using ILoggerFactory factory = logs.CreateFactory();
        // Never close for bad messages: only the log limit bounds what this station costs the log.
        var connection = OcppConnectionOptions.Default with { LoggerFactory = factory, MaxBadMessages = null, MaxBadMessagesPerMinute = null };
        await using OcppServer server = await Servers.StartAsync(OcppServerOptions.Default with { Connection = connection });
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.StationDisconnected += (_, _) => closed.TrySetResult();
        await using RawWebSocket ws = await RawWebSocket.ConnectAsync(server.Port!.Value, "/ocpp/CP-FLOOD", "ocpp1.6");

        for (int i = 0; i < 200; i++)
        {
            await ws.SendTextAsync("not json");
        }

        for (int i = 0; i < 200; i++)
        {
            (await ws.ReceiveMessageAsync(Bound)).Kind.Should().Be(RawKind.Text, "every bad message is answered");
        }

        await ws.CloseAsync();
        await closed.Task.Within(Bound, "the station disconnects");

        logs.Named("BadMessage").Should().HaveCount(20, "20 warnings about one peer per minute by default");
        logs.Named("PeerWarningsSuppressed").Should().ContainSingle()
            .Which.Message.Should().Contain("180 more warnings");
    }

    [Fact]
    public async Task Control_characters_from_the_peer_reach_the_logs_escaped()
    {
        const string Hostile = "\u001b]0;PWNED\u0007\u001b[2J\u0000\u009b\u202e";
        var logs = new LogCapture();
        using ILoggerFactory factory = logs.CreateFactory();
        var connection = OcppConnectionOptions.Default with { LoggerFactory = factory, Validator = new EchoingValidator() };
        await using OcppServer server = await Servers.StartAsync(OcppServerOptions.Default with { Connection = connection });
        server.Handle("DataTransfer", _ => new ValueTask<OcppReply>(OcppReply.Empty));
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.StationDisconnected += (_, _) => closed.TrySetResult();
        await using RawWebSocket ws = await RawWebSocket.ConnectAsync(server.Port!.Value, "/ocpp/CP-ESC", "ocpp2.1");

        string text = JsonSerializer.Serialize(Hostile); // a JSON string: the control characters arrive as \u escapes
        string id = text;
        await ws.SendTextAsync($$"""[2,{{id}},"DataTransfer",{"vendorId":{{text}}}]""");   // ValidationFailed (1006)
        (await ws.ReceiveMessageAsync(Bound)).Kind.Should().Be(RawKind.Text);
        await ws.SendTextAsync($$"""[3,{{id}},{}]""");                                     // UnmatchedResponse (1005)
        await ws.SendTextAsync($$"""[5,{{id}},"GenericError",{{text}},{}]""");             // ResultErrorReceived (1010)
        await ws.SendTextAsync($$"""[2,{{id}},""]""");                                     // BadMessage (1001)
        (await ws.ReceiveMessageAsync(Bound)).Kind.Should().Be(RawKind.Text);
        byte[] reason = [0x03, 0xE8, .. Encoding.UTF8.GetBytes(Hostile)];
        await ws.SendFrameAsync(8, reason);                                                   // Closed (1009), StationDisconnected (2003)
        await closed.Task.Within(Bound, "the station disconnects");

        string[] expected = ["ValidationFailed", "UnmatchedResponse", "ResultErrorReceived", "BadMessage", "Closed", "StationDisconnected"];
        logs.Events.Select(e => e.EventId.Name).Should().Contain(expected);
        foreach (CapturedLog log in logs.Events)
        {
            foreach (string written in log.Values.Append(log.Message))
            {
                written.Should().NotContainAny(["\u001b", "\u0007", "\u0000", "\u009b", "\u202e"], $"event {log.EventId.Name} must escape peer text: {written}");
            }
        }

        logs.Named("ResultErrorReceived").Single().Message.Should().Contain("\\u001b]0;PWNED\\u0007", "escaped, not dropped");
        logs.Named("StationDisconnected").Single().Message.Should().Contain("\\u001b[2J");
    }

    private static Task<OcppServer> StartAsync(ILoggerFactory loggerFactory) =>
        Servers.StartAsync(
            OcppServerOptions.Default with { Connection = OcppConnectionOptions.Default with { LoggerFactory = loggerFactory } },
            setup: s => s.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppPayload.FromJson("""{"currentTime":"2025-01-01T00:00:00Z"}"""))));

    // Fails every DataTransfer, quoting the payload as schema validators quote offending values and property names.
    private sealed class EchoingValidator : IOcppPayloadValidator
    {
        public OcppValidationFailure? Validate(string protocol, string action, OcppPayloadKind kind, ReadOnlySpan<byte> payload) =>
            action == "DataTransfer" && kind == OcppPayloadKind.Request
                ? new OcppValidationFailure(OcppErrorCode.PropertyConstraintViolation, "bad value: " + JsonDocument.Parse(payload.ToArray()).RootElement.GetProperty("vendorId").GetString(), [])
                : null;
    }
}

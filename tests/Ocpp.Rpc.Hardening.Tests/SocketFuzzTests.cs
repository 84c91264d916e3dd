using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Hardening.Tests.Support;
using Xunit.Abstractions;

using Ocpp.Rpc.TestSupport;

namespace Ocpp.Rpc.Hardening.Tests;

/// <summary>
/// Item 1: seeded, bounded fuzzing of a real <see cref="OcppServer"/> through a real WebSocket (raw frames over TCP):
/// random and mutated frames, deep nesting, huge numbers, invalid UTF-8 in text frames, ids of 35-38 characters,
/// binary frames, fragmented messages with pings in between, WebSocket protocol violations, oversized messages
/// and bursts of bad messages. Every reply must be spec-correct for the version (or there is none), the
/// connection stays usable (or, after a close the spec calls for, a new one is), a bystander station is served
/// throughout, and nothing in the process crashes.
/// </summary>
public sealed class SocketFuzzTests(ITestOutputHelper output)
{
    private const int MessagesPerProtocol = 1500;
    private const int MaxMessageSize = 16 * 1024;
    private static readonly TimeSpan ReplyWithin = TimeSpan.FromSeconds(10);

    private enum Outcome
    {
        Sentinel,
        Closed,
    }

    [Theory]
    [InlineData(OcppProtocols.Ocpp16, 11)]
    [InlineData(OcppProtocols.Ocpp201, 12)]
    [InlineData(OcppProtocols.Ocpp21, 13)]
    public async Task Server_survives_fuzzed_websocket_traffic_and_keeps_serving(string protocol, int seed)
    {
        output.WriteLine($"seed {seed}");
        using var watch = new ProcessWatch();
        var random = new Random(seed);
        OcppDialect dialect = OcppProtocols.GetDialect(protocol);
        var options = OcppServerOptions.Default with
        {
            KeepAliveInterval = TimeSpan.Zero,
            // The per-minute bad-message limit is off: this run checks the reply to each fuzzed message (HostileInputTests
            // covers the limit); the consecutive limit stays on and is checked by the bursts.
            Connection = OcppConnectionOptions.Default with { MaxMessageSize = MaxMessageSize, MaxBadMessagesPerMinute = null, CloseTimeout = TimeSpan.FromSeconds(2), LoggerFactory = watch.LoggerFactory },
        };
        await using OcppServer server = await Servers.StartAsync(options, setup: s =>
        {
            s.Handle("Echo", ctx => new ValueTask<OcppReply>(ctx.PayloadElement));
            s.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppPayload.FromJson("""{"currentTime":"2025-01-01T00:00:00Z"}""")));
        });
        await using Bystander bystander = await Bystander.StartAsync(server.Endpoint());

        int port = server.Port!.Value;
        int sessions = 1;
        var stats = new Dictionary<string, int>();
        RawWebSocket ws = await RawWebSocket.ConnectAsync(port, "/ocpp/FUZZ", protocol);
        try
        {
            for (int i = 0; i < MessagesPerProtocol; i++)
            {
                string kind;
                Outcome outcome;
                switch (random.Next(60))
                {
                    case 0:
                        kind = "burst of bad messages";
                        outcome = await BadMessageBurstAsync(ws, dialect);
                        outcome.Should().Be(Outcome.Closed, "MaxBadMessages (10) bad messages in a row close with 1002");
                        break;
                    case 1:
                        kind = "websocket protocol violation";
                        outcome = await ProtocolViolationAsync(ws, random);
                        break;
                    case 2:
                        kind = "oversized fragmented message";
                        outcome = await OversizedAsync(ws, random);
                        break;
                    case 3:
                    case 4:
                        kind = "id around the 36-character limit";
                        outcome = await IdAroundTheLimitAsync(ws, random, dialect);
                        break;
                    default:
                        byte[] message = FrameFuzzer.Generate(random);
                        int delivery = random.Next(4);
                        kind = delivery switch { 0 => "binary", 1 => "fragmented text", _ => "text" };
                        if (delivery != 0 && !Utf8.IsValid(message))
                        {
                            kind = "invalid UTF-8 text";
                        }

                        outcome = await FuzzOneAsync(ws, random, message, delivery, dialect, i);
                        break;
                }

                stats[kind] = stats.GetValueOrDefault(kind) + 1;
                if (outcome == Outcome.Closed)
                {
                    await ws.DisposeAsync();
                    ws = await RawWebSocket.ConnectAsync(port, "/ocpp/FUZZ", protocol);
                    sessions++;
                    (await SentinelAsync(ws, "after-reconnect", dialect, "a new connection after a close")).Should().Be(Outcome.Sentinel);
                }
            }

            (await SentinelAsync(ws, "final", dialect, "the end of the run")).Should().Be(Outcome.Sentinel, "the last connection is still usable");
        }
        finally
        {
            await ws.CloseAsync();
            await ws.DisposeAsync();
        }

        output.WriteLine($"{MessagesPerProtocol} cases, {sessions} connections: " + string.Join(", ", stats.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value}")));
        int served = await bystander.StopAsync();
        bystander.Failures.Should().BeEmpty("the server keeps serving other stations throughout");
        served.Should().BeGreaterThan(10);
        await Eventually.HoldsAsync(() => server.ConnectionCount == 1, "only the bystander is left connected");
        watch.AssertClean();
    }

    // One fuzzed message delivered as one text frame, as fragments (with pings between), or as binary; then a
    // sentinel CALL. Invalid UTF-8 in a text message must fail the WebSocket (RFC 6455 §8.1: close 1007).
    private static async Task<Outcome> FuzzOneAsync(RawWebSocket ws, Random random, byte[] message, int delivery, OcppDialect dialect, int i)
    {
        bool invalidText = delivery != 0 && !Utf8.IsValid(message);
        if (delivery == 0)
        {
            await SendFragmentedAsync(ws, 2, message, random.Next(2) == 0 ? 1 : random.Next(2, 5), random);
        }
        else if (delivery == 1)
        {
            try
            {
                await SendFragmentedAsync(ws, 1, message, random.Next(2, 6), random);
            }
            catch (IOException) when (invalidText)
            {
                // The server failed the connection at the first invalid fragment; later fragments hit the reset.
            }
        }
        else
        {
            await ws.SendFrameAsync(1, message);
        }

        string cause = Encoding.UTF8.GetString(message);
        if (invalidText)
        {
            RawMessage close = await NextNonReplyAsync(ws, dialect, cause);
            close.Kind.Should().BeOneOf([RawKind.Close, RawKind.Eof], "invalid UTF-8 fails the WebSocket: {0}", Convert.ToHexString(message));
            if (close.Kind == RawKind.Close)
            {
                close.CloseCode.Should().Be(1007, "invalid UTF-8 in a text message is closed with 1007");
            }

            return Outcome.Closed;
        }

        string sentinel = $"s{i}";
        await ws.SendTextAsync($$"""[2,"{{sentinel}}","Echo",{}]""");
        int replies = 0;
        while (true)
        {
            RawMessage reply = await ws.ReceiveMessageAsync(ReplyWithin);
            reply.Kind.Should().Be(RawKind.Text, "the server answers the sentinel after {0} (delivery {1})", cause, delivery);
            JsonElement frame = SpecReplies.AssertSpecCorrect(reply.Text, dialect, cause);
            if (frame[1].GetString() == sentinel)
            {
                frame[0].GetInt32().Should().Be(3, "the connection stays usable");
                break;
            }

            replies++;
        }

        if (delivery == 0)
        {
            replies.Should().Be(0, "a binary message is never answered");
        }

        replies.Should().BeLessThanOrEqualTo(1, "one message gets at most one reply");
        return Outcome.Sentinel;
    }

    // Reads until something other than a spec-correct reply arrives (a close, EOF, or silence).
    private static async Task<RawMessage> NextNonReplyAsync(RawWebSocket ws, OcppDialect dialect, string cause)
    {
        while (true)
        {
            RawMessage message = await ws.ReceiveMessageAsync(ReplyWithin);
            if (message.Kind != RawKind.Text)
            {
                return message;
            }

            SpecReplies.AssertSpecCorrect(message.Text, dialect, cause);
        }
    }

    private static async Task SendFragmentedAsync(RawWebSocket ws, int opcode, byte[] message, int parts, Random random)
    {
        if (parts <= 1 || message.Length < 2)
        {
            await ws.SendFrameAsync(opcode, message);
            return;
        }

        int[] cuts = [.. Enumerable.Range(0, parts - 1).Select(_ => random.Next(1, message.Length)).Distinct().Order()];
        int start = 0;
        for (int k = 0; k <= cuts.Length; k++)
        {
            int end = k < cuts.Length ? cuts[k] : message.Length;
            await ws.SendFrameAsync(k == 0 ? opcode : 0, message.AsMemory(start, end - start), fin: k == cuts.Length);
            if (k < cuts.Length && random.Next(3) == 0)
            {
                await ws.SendFrameAsync(9, "ping"u8.ToArray()); // control frames may come between fragments
            }

            start = end;
        }
    }

    private static async Task<Outcome> BadMessageBurstAsync(RawWebSocket ws, OcppDialect dialect)
    {
        for (int k = 0; k < 10; k++)
        {
            await ws.SendTextAsync("not json " + k);
        }

        RawMessage end = await NextNonReplyAsync(ws, dialect, "burst");
        end.Kind.Should().Be(RawKind.Close);
        end.CloseCode.Should().Be(1002);
        await ws.CloseAsync(1002);
        return Outcome.Closed;
    }

    // WebSocket-level violations: the server must fail the connection (close or drop), never answer with OCPP.
    private static async Task<Outcome> ProtocolViolationAsync(RawWebSocket ws, Random random)
    {
        byte[] call = """[2,"v","Echo",{}]"""u8.ToArray();
        byte[] frame = random.Next(5) switch
        {
            0 => RawWebSocket.BuildFrame(1, call, mask: false), // client frames must be masked
            1 => RawWebSocket.BuildFrame(1, call, rsv: 4), // RSV1 without an extension
            2 => RawWebSocket.BuildFrame(3, call), // reserved opcode
            3 => RawWebSocket.BuildFrame(9, new byte[200]), // control frame over 125 bytes
            _ => RawWebSocket.BuildFrame(0, call), // continuation without a message
        };
        await ws.SendRawAsync(frame);
        RawMessage end = await ws.ReceiveMessageAsync(ReplyWithin);
        end.Kind.Should().BeOneOf([RawKind.Close, RawKind.Eof], "a WebSocket protocol violation fails the connection");
        if (end.Kind == RawKind.Close)
        {
            end.CloseCode.Should().Be(1002);
        }

        return Outcome.Closed;
    }

    private static async Task<Outcome> OversizedAsync(RawWebSocket ws, Random random)
    {
        byte[] big = Encoding.UTF8.GetBytes($$"""[2,"big","Echo",{"pad":"{{new string('x', MaxMessageSize + random.Next(1, 5000))}}"}]""");
        await SendFragmentedAsync(ws, 1, big, random.Next(1, 6), random);
        RawMessage end = await ws.ReceiveMessageAsync(ReplyWithin);
        end.Kind.Should().Be(RawKind.Close, "an oversized message is refused with a close");
        end.CloseCode.Should().Be(1009);
        await ws.CloseAsync(1009);
        return Outcome.Closed;
    }

    // A CALL with an id of 35-38 characters: up to 36 is answered normally, longer gets a CALLERROR with id "-1" (an
    // over-long id is not a valid OCPP-J id and is never echoed).
    private static async Task<Outcome> IdAroundTheLimitAsync(RawWebSocket ws, Random random, OcppDialect dialect)
    {
        int length = random.Next(35, 39);
        string id = string.Concat(Enumerable.Range(0, length).Select(_ => (char)('a' + random.Next(26))));
        await ws.SendTextAsync($$"""[2,"{{id}}","Echo",{"n":{{length}}}]""");
        RawMessage reply = await ws.ReceiveMessageAsync(ReplyWithin);
        reply.Kind.Should().Be(RawKind.Text);
        JsonElement frame = SpecReplies.AssertSpecCorrect(reply.Text, dialect, id);
        frame[1].GetString().Should().Be(length <= 36 ? id : "-1");
        if (length <= 36)
        {
            frame[0].GetInt32().Should().Be(3, "an id of {0} characters is allowed", length);
        }
        else
        {
            frame[0].GetInt32().Should().Be(4, "an id of {0} characters is too long", length);
            frame[2].GetString().Should().Be(dialect == OcppDialect.Ocpp16 ? "FormationViolation" : "RpcFrameworkError");
        }

        return Outcome.Sentinel;
    }

    private static async Task<Outcome> SentinelAsync(RawWebSocket ws, string id, OcppDialect dialect, string what)
    {
        await ws.SendTextAsync($$"""[2,"{{id}}","Echo",{"ok":true}]""");
        RawMessage reply = await ws.ReceiveMessageAsync(ReplyWithin);
        reply.Kind.Should().Be(RawKind.Text, what);
        JsonElement frame = SpecReplies.AssertSpecCorrect(reply.Text, dialect, what);
        frame[0].GetInt32().Should().Be(3);
        frame[1].GetString().Should().Be(id);
        return Outcome.Sentinel;
    }
}

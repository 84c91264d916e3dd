using System.Text;
using FluentAssertions;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Hardening.Tests.Support;

namespace Ocpp.Rpc.Hardening.Tests;

/// <summary>
/// Issue 19 item 9: a station whose connection fails (a framing violation, a corrupt compressed message) receives the
/// server's close frame every time, not a bare TCP close; and the two RFC 7692 edge cases the runtime's WebSocket
/// decides are pinned here, so a runtime upgrade that changes them shows up.
/// </summary>
public sealed class CloseFrameTests
{
    private const int Runs = 10;
    private const string Deflate = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    // A valid call after the offending frame: input the server has not read when it fails the connection. Closing TCP
    // with it unread is what used to reset the link before the close frame reached the station.
    private static readonly byte[] Trailer = RawWebSocket.BuildFrame(1, Encoding.UTF8.GetBytes("""[2,"a","Heartbeat",{}]"""));

    public static TheoryData<string, bool> Violations => new()
    {
        { "unmasked", false }, { "rsv2", false }, { "opcode3", false },
        { "unmasked", true }, { "rsv2", true }, { "opcode3", true },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task A_framing_violation_is_answered_with_a_1002_close_frame_every_time(string violation, bool compressed)
    {
        await using OcppServer server = await StartAsync();
        for (int i = 0; i < Runs; i++)
        {
            await using RawWebSocket ws = await ConnectAsync(server, compressed, i);
            byte[] offending = violation switch
            {
                "unmasked" => RawWebSocket.BuildFrame(1, "hello"u8, mask: false),
                "rsv2" => RawWebSocket.BuildFrame(1, "hello"u8, rsv: 2),
                _ => RawWebSocket.BuildFrame(3, "hello"u8),
            };
            await ws.SendRawAsync((byte[])[.. offending, .. Trailer, .. Trailer]);

            RawMessage reply = await ws.ReceiveMessageAsync(Bound);
            reply.Kind.Should().Be(RawKind.Close, $"run {i}: the station must get the close frame, not a bare TCP close");
            reply.CloseCode.Should().Be(1002);
        }
    }

    [Fact]
    public async Task A_corrupt_compressed_message_is_answered_with_a_1002_close_frame()
    {
        await using OcppServer server = await StartAsync();
        for (int i = 0; i < Runs; i++)
        {
            await using RawWebSocket ws = await ConnectAsync(server, compressed: true, i);
            await ws.SendRawAsync((byte[])[.. RawWebSocket.BuildFrame(1, [0xff, 0xff, 0xff, 0x13, 0x37, 0x00], rsv: 4), .. Trailer, .. Trailer]);

            RawMessage reply = await ws.ReceiveMessageAsync(Bound);
            reply.Kind.Should().Be(RawKind.Close, $"run {i}: the runtime fails the link without a close frame; the server must send one");
            reply.CloseCode.Should().Be(1002);
        }
    }

    // Runtime behaviour pinned (README "Limits the runtime sets"): .NET's inflater does not accept a message ending
    // with a BFINAL deflate block, RFC 7692 §7.2.3.4's own example. The server still ends the link with a close frame.
    [Fact]
    public async Task Pinned_a_message_ending_in_a_BFINAL_deflate_block_fails_the_connection_with_a_close_frame()
    {
        await using OcppServer server = await StartAsync();
        await using RawWebSocket ws = await ConnectAsync(server, compressed: true, 0);
        ws.ResponseHeader("Sec-WebSocket-Extensions").Should().Contain("permessage-deflate");

        await ws.SendRawAsync(RawWebSocket.BuildFrame(1, [0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x00], rsv: 4)); // "Hello"

        RawMessage reply = await ws.ReceiveMessageAsync(Bound);
        reply.Kind.Should().Be(RawKind.Close, "if this now passes as a text message, the runtime accepts BFINAL blocks: update the README note");
        reply.CloseCode.Should().Be(1002);
    }

    // Runtime behaviour pinned (README "Limits the runtime sets"): RFC 7692 §6 defines RSV1 for data frames only, so a
    // ping with RSV1 should fail the connection; .NET's WebSocket answers it and carries on.
    [Fact]
    public async Task Pinned_a_ping_with_RSV1_set_is_answered_and_the_connection_stays_open()
    {
        await using OcppServer server = await StartAsync();
        await using RawWebSocket ws = await ConnectAsync(server, compressed: true, 0);

        await ws.SendRawAsync((byte[])[.. RawWebSocket.BuildFrame(9, "p"u8, rsv: 4), .. Trailer]);

        RawMessage reply = await ws.ReceiveMessageAsync(Bound);
        reply.Kind.Should().Be(RawKind.Text, "if the link is now failed, the runtime checks RSV1 on control frames: update the README note");
        reply.Compressed.Should().BeTrue();
        Encoding.UTF8.GetString(RawDeflate.Decompress(reply.Payload)).Should().StartWith("""[3,"a",""");
    }

    [Fact]
    public async Task A_clean_close_still_ends_with_both_close_frames()
    {
        await using OcppServer server = await StartAsync();
        await using RawWebSocket ws = await ConnectAsync(server, compressed: false, 0);

        await ws.SendFrameAsync(8, (byte[])[0x03, 0xE8]);

        RawMessage reply = await ws.ReceiveMessageAsync(Bound);
        reply.Kind.Should().Be(RawKind.Close);
        reply.CloseCode.Should().Be(1000);
        (await ws.ReceiveMessageAsync(Bound)).Kind.Should().Be(RawKind.Eof, "the server closes TCP after the close handshake");
    }

    private static Task<OcppServer> StartAsync() => Servers.StartAsync(OcppServerOptions.Default,
        setup: s => s.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppPayload.FromJson("""{"currentTime":"2026-12-03T00:00:00Z"}"""))));

    private static Task<RawWebSocket> ConnectAsync(OcppServer server, bool compressed, int run) =>
        RawWebSocket.ConnectAsync(server.Port!.Value, "/ocpp/CP-" + run, "ocpp2.0.1", compressed ? Deflate : null);
}

using System.Text;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Hardening.Tests.Support;

namespace Ocpp.Rpc.Hardening.Tests;

/// <summary>
/// Second-round hardening, item 2: permessage-deflate is negotiated without context takeover in either direction,
/// so no compressor or decompressor state outlives a message and an idle compressed station is as cheap as a plain
/// one. (The memory figures come from <c>benchmarks/hardening-memory.sh</c>.)
/// </summary>
public sealed class CompressionTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("permessage-deflate; client_max_window_bits", "permessage-deflate; server_no_context_takeover; client_no_context_takeover")]
    [InlineData("permessage-deflate", "permessage-deflate; server_no_context_takeover; client_no_context_takeover")]
    [InlineData("permessage-deflate; server_max_window_bits=10; client_max_window_bits=12", "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10")]
    [InlineData("permessage-deflate; server_no_context_takeover; client_no_context_takeover", "permessage-deflate; server_no_context_takeover; client_no_context_takeover")]
    [InlineData("permessage-deflate; x_unknown=1, permessage-deflate; client_max_window_bits", "permessage-deflate; server_no_context_takeover; client_no_context_takeover")]
    [InlineData("permessage-deflate; server_max_window_bits=8", null)]
    [InlineData("permessage-deflate; server_max_window_bits=16", null)]
    [InlineData("permessage-deflate; client_no_context_takeover; client_no_context_takeover", null)]
    [InlineData("x-webkit-deflate-frame", null)]
    public async Task Offers_are_answered_without_context_takeover_both_ways(string offer, string? expected)
    {
        using var watch = new ProcessWatch();
        await using OcppServer server = await StartAsync(watch, OcppServerOptions.Default);
        await using RawWebSocket ws = await RawWebSocket.ConnectAsync(server.Port!.Value, "/ocpp/CP-Z", "ocpp2.0.1", $"Sec-WebSocket-Extensions: {offer}\r\n");

        ws.ResponseHeader("Sec-WebSocket-Extensions").Should().Be(expected);
        ws.ResponseHeader("Sec-WebSocket-Protocol").Should().Be("ocpp2.0.1");
        await ws.SendTextAsync("""[2,"plain","Heartbeat",{}]""");
        RawMessage reply = await ws.ReceiveMessageAsync(Bound);
        Text(reply).Should().StartWith("""[3,"plain",""", "uncompressed frames are fine on either kind of connection");
        watch.AssertClean();
    }

    [Fact]
    public async Task Each_message_stands_alone_in_both_directions()
    {
        using var watch = new ProcessWatch();
        await using OcppServer server = await StartAsync(watch, OcppServerOptions.Default);
        await using RawWebSocket ws = await RawWebSocket.ConnectAsync(server.Port!.Value, "/ocpp/CP-Z", "ocpp2.1", "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n");

        for (int i = 0; i < 3; i++)
        {
            // Each request compressed with a fresh context, as client_no_context_takeover requires of the station;
            // each reply must inflate with a fresh context too, or the server kept its window (identical replies
            // would otherwise shrink to back-references into the previous one).
            await ws.SendFrameAsync(1, RawDeflate.Compress(Encoding.UTF8.GetBytes($$"""[2,"c{{i}}","Heartbeat",{}]""")), rsv: 4);
            RawMessage reply = await ws.ReceiveMessageAsync(Bound);
            reply.Compressed.Should().BeTrue();
            Text(reply).Should().Be($$"""[3,"c{{i}}",{"currentTime":"{{new string('0', 200)}}"}]""");
        }

        watch.AssertClean();
    }

    [Fact]
    public async Task Context_takeover_can_be_chosen_explicitly()
    {
        using var watch = new ProcessWatch();
        await using OcppServer server = await StartAsync(watch, OcppServerOptions.Default with { CompressionContextTakeover = true });
        await using RawWebSocket ws = await RawWebSocket.ConnectAsync(server.Port!.Value, "/ocpp/CP-Z", "ocpp2.0.1", "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n");
        ws.ResponseHeader("Sec-WebSocket-Extensions").Should().Be("permessage-deflate");
        watch.AssertClean();
    }

    [Fact]
    public async Task A_real_client_that_offers_context_takeover_accepts_the_answer_and_calls_flow()
    {
        await using OcppServer server = await StartAsync(null, OcppServerOptions.Default);
        await using var client = new Client.OcppClient(Servers.Client(server.Endpoint(), "CP-DOTNET", OcppProtocols.Ocpp201) with
        {
            Compression = new System.Net.WebSockets.WebSocketDeflateOptions(), // ClientWebSocket's default: context takeover
        });
        await client.ConnectAsync();
        for (int i = 0; i < 3; i++)
        {
            (await client.CallAsync("Heartbeat")).GetProperty("currentTime").GetString().Should().HaveLength(200);
        }
    }

    private static string Text(RawMessage message) =>
        Encoding.UTF8.GetString(message.Compressed ? RawDeflate.Decompress(message.Payload) : message.Payload);

    private static Task<OcppServer> StartAsync(ProcessWatch? watch, OcppServerOptions options) =>
        Servers.StartAsync(
            options with { Connection = OcppConnectionOptions.Default with { LoggerFactory = watch?.LoggerFactory } },
            setup: s => s.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppPayload.FromJson($$"""{"currentTime":"{{new string('0', 200)}}"}"""))));
}

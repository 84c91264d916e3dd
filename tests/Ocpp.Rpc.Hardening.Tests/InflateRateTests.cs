using System.Diagnostics;
using System.Text;
using FluentAssertions;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Hardening.Tests.Support;

namespace Ocpp.Rpc.Hardening.Tests;

/// <summary>
/// Issue 19 item 2 (CPU): small compressed calls that inflate to large ones are read no faster than
/// <see cref="OcppServerOptions.MaxInflatedBytesPerSecond"/>, so a station cannot buy a core with little traffic.
/// </summary>
public sealed class InflateRateTests
{
    private const string Deflate = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";
    private const int Rate = 512 * 1024;
    private const int MessageBytes = 200_000;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_compressed_station_is_read_no_faster_than_the_inflated_byte_rate()
    {
        await using OcppServer server = await StartAsync(Rate);
        await using RawWebSocket ws = await RawWebSocket.ConnectAsync(server.Port!.Value, "/ocpp/CP-INFLATE", "ocpp2.0.1", Deflate);
        ws.ResponseHeader("Sec-WebSocket-Extensions").Should().Contain("permessage-deflate");

        // Six calls of 200 kB that compress to a few hundred bytes each: 1.2 MB inflated against a 512 KiB burst and
        // 512 KiB/s, so the last three wait for the rate: at least (6 x 200 kB - 512 KiB) / 512 KiB, about 1.3 s, less
        // the one message the bucket lets go into debt: about 0.95 s.
        var sent = Stopwatch.StartNew();
        for (int i = 0; i < 6; i++)
        {
            await ws.SendFrameAsync(1, RawDeflate.Compress(DataTransfer("m" + i)), rsv: 4);
        }

        for (int i = 0; i < 6; i++)
        {
            RawMessage reply = await ws.ReceiveMessageAsync(Bound);
            reply.Kind.Should().Be(RawKind.Text, $"reply {i}");
            Encoding.UTF8.GetString(RawDeflate.Decompress(reply.Payload)).Should().StartWith($"[3,\"m{i}\"");
        }

        sent.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(0.8), "the server must pause reading once the station is over its inflated-byte rate");
    }

    [Fact]
    public async Task With_the_rate_off_the_same_calls_are_all_answered()
    {
        await using OcppServer server = await StartAsync(0);
        await using RawWebSocket ws = await RawWebSocket.ConnectAsync(server.Port!.Value, "/ocpp/CP-NOLIMIT", "ocpp2.0.1", Deflate);
        for (int i = 0; i < 6; i++)
        {
            await ws.SendFrameAsync(1, RawDeflate.Compress(DataTransfer("m" + i)), rsv: 4);
        }

        for (int i = 0; i < 6; i++)
        {
            (await ws.ReceiveMessageAsync(Bound)).Kind.Should().Be(RawKind.Text);
        }
    }

    [Fact]
    public void A_negative_rate_is_refused()
    {
        Action create = () => _ = new OcppServer(OcppServerOptions.Default with { MaxInflatedBytesPerSecond = -1 });
        create.Should().Throw<ArgumentOutOfRangeException>();
    }

    private static byte[] DataTransfer(string id) =>
        Encoding.UTF8.GetBytes($$"""[2,"{{id}}","DataTransfer",{"vendorId":"acme","data":"{{new string('a', MessageBytes)}}"}]""");

    private static Task<OcppServer> StartAsync(long rate) => Servers.StartAsync(
        OcppServerOptions.Default with
        {
            MaxInflatedBytesPerSecond = rate,
            Connection = OcppConnectionOptions.Default with { MaxMessageSize = 256 * 1024 },
        },
        setup: s => s.Handle("DataTransfer", _ => new ValueTask<OcppReply>(OcppPayload.FromJson("""{"status":"Accepted"}"""))));
}

using System.Diagnostics;
using System.Text;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Hardening.Tests.Support;
using Ocpp.Rpc.Transport;
using Xunit.Abstractions;

namespace Ocpp.Rpc.Hardening.Tests;

/// <summary>
/// Second-round hardening, item 1: a message that is started and never finished (one compressed fragment that
/// inflates to nearly the size limit, or endless empty continuation frames) is closed when it is out of time, and the
/// bytes all incomplete messages hold have a server-wide budget.
/// </summary>
public sealed class IncompleteMessageTests(ITestOutputHelper output)
{
    private const string Deflate = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task One_compressed_fragment_that_inflates_to_nearly_the_limit_is_closed_1008_when_out_of_time()
    {
        using var watch = new ProcessWatch();
        await using OcppServer server = await StartAsync(watch, TimeSpan.FromSeconds(2), 64L * 1024 * 1024);
        await using Bystander bystander = await Bystander.StartAsync(server.Endpoint());
        await using RawWebSocket ws = await RawWebSocket.ConnectAsync(server.Port!.Value, "/ocpp/CP-BOMB", "ocpp2.0.1", Deflate);
        ws.ResponseHeader("Sec-WebSocket-Extensions").Should().StartWith("permessage-deflate");

        byte[] bomb = Bomb();
        bomb.Length.Should().BeLessThan(4096, "about 1 KB on the wire");
        var clock = Stopwatch.StartNew();
        await ws.SendFrameAsync(1, bomb, fin: false, rsv: 4); // RSV1: compressed; never followed by the rest

        RawMessage end = await ws.ReceiveMessageAsync(Bound); // answers pings meanwhile
        output.WriteLine($"{end.Kind} {end.CloseCode} after {clock.Elapsed.TotalSeconds:0.0} s");
        end.Kind.Should().Be(RawKind.Close, "the server closes with a close frame, not a bare TCP close");
        end.CloseCode.Should().Be(OcppCloseCodes.PolicyViolation);
        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(1.5)).And.BeLessThan(TimeSpan.FromSeconds(8));
        await ws.CloseAsync(OcppCloseCodes.PolicyViolation);

        await Eventually.HoldsAsync(() => server.ConnectionCount == 1, "only the bystander is left");
        bystander.Failures.Should().BeEmpty();
        watch.AssertClean();
    }

    [Fact]
    public async Task A_never_ending_fragmented_message_is_closed_the_same_way()
    {
        using var watch = new ProcessWatch();
        await using OcppServer server = await StartAsync(watch, TimeSpan.FromSeconds(2), 64L * 1024 * 1024);
        await using RawWebSocket ws = await RawWebSocket.ConnectAsync(server.Port!.Value, "/ocpp/CP-ENDLESS", "ocpp1.6");
        await ws.SendFrameAsync(1, Encoding.UTF8.GetBytes("""[2,"1","Heartbeat","""), fin: false);

        using var stop = new CancellationTokenSource();
        var trickle = Task.Run(async () =>
        {
            int sent = 0;
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await ws.SendFrameAsync(0, ReadOnlyMemory<byte>.Empty, fin: false, cancellationToken: stop.Token);
                    if (++sent % 50 == 0)
                    {
                        await Task.Delay(1, stop.Token);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
            }

            return sent;
        });

        var clock = Stopwatch.StartNew();
        RawMessage end = await ws.ReceiveMessageAsync(Bound);
        await stop.CancelAsync();
        int frames = await trickle.Within(Bound, "the trickle stops");
        output.WriteLine($"{end.Kind} {end.CloseCode} after {clock.Elapsed.TotalSeconds:0.0} s and {frames} empty continuation frames");
        end.Kind.Should().Be(RawKind.Close);
        end.CloseCode.Should().Be(OcppCloseCodes.PolicyViolation);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(8));
        watch.AssertClean();
    }

    [Fact]
    public async Task Beyond_the_server_wide_budget_the_largest_incomplete_message_is_closed_1009()
    {
        using var watch = new ProcessWatch();
        // A long deadline: only the budget (3 MiB, about three bombs) can close these quickly.
        await using OcppServer server = await StartAsync(watch, TimeSpan.FromMinutes(5), 3L * 1024 * 1024);
        await using Bystander bystander = await Bystander.StartAsync(server.Endpoint());
        byte[] bomb = Bomb();
        var attackers = new List<RawWebSocket>();
        try
        {
            for (int i = 0; i < 6; i++)
            {
                RawWebSocket ws = await RawWebSocket.ConnectAsync(server.Port!.Value, $"/ocpp/CP-BOMB-{i}", "ocpp2.0.1", Deflate);
                attackers.Add(ws);
                await ws.SendFrameAsync(1, bomb, fin: false, rsv: 4);
            }

            RawMessage[] ends = await Task.WhenAll(attackers.Select(a => a.ReceiveMessageAsync(TimeSpan.FromSeconds(6))));
            int closed = ends.Count(e => e.Kind == RawKind.Close && e.CloseCode == OcppCloseCodes.MessageTooBig);
            output.WriteLine(string.Join(", ", ends.Select(e => $"{e.Kind} {e.CloseCode}")));
            closed.Should().BeGreaterThanOrEqualTo(3, "six bombs of ~0.9 MiB do not fit a 3 MiB budget");
            ends.Where(e => e.Kind != RawKind.Close).Should().OnlyContain(e => e.Kind == RawKind.Silence, "the others are still within budget and waiting");
        }
        finally
        {
            foreach (RawWebSocket ws in attackers)
            {
                await ws.DisposeAsync();
            }
        }

        await Eventually.HoldsAsync(() => server.ConnectionCount == 1, "the attackers' connections go away");
        bystander.Failures.Should().BeEmpty();
        watch.AssertClean();
    }

    // [2,"1","DataTransfer",{"vendorId":"x","data":"xxx...   (about 0.9 MiB, the message never ends)
    private static byte[] Bomb() => RawDeflate.Compress(Encoding.UTF8.GetBytes("[2,\"1\",\"DataTransfer\",{\"vendorId\":\"x\",\"data\":\"" + new string('x', 900 * 1024)));

    private static Task<OcppServer> StartAsync(ProcessWatch watch, TimeSpan timeout, long budget) =>
        Servers.StartAsync(
            OcppServerOptions.Default with
            {
                IncompleteMessageTimeout = timeout,
                IncompleteMessageBudget = budget,
                KeepAliveInterval = TimeSpan.FromSeconds(1), // pings keep flowing, and the attacker answers them
                Connection = OcppConnectionOptions.Default with { LoggerFactory = watch.LoggerFactory },
            },
            setup: s => s.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppPayload.FromJson("""{"currentTime":"2025-01-01T00:00:00Z"}"""))));
}

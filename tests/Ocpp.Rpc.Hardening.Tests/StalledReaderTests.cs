using System.Diagnostics;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Hardening.Tests.Support;
using Xunit.Abstractions;

namespace Ocpp.Rpc.Hardening.Tests;

/// <summary>
/// Second-round hardening, item 3: a station that sends calls and never reads the replies. Every send has a deadline
/// and the bytes waiting to be sent per connection are bounded; either drops the link, the stuck handlers end, and a
/// bystander is served throughout.
/// </summary>
public sealed class StalledReaderTests(ITestOutputHelper output)
{
    private const int ReplySize = 512 * 1024;

    [Fact]
    public async Task A_station_that_stops_reading_is_dropped_by_the_send_deadline()
    {
        TimeSpan sendTimeout = TimeSpan.FromSeconds(2);
        (TimeSpan after, int handled) = await FloodWithoutReadingAsync(OcppConnectionOptions.Default with { SendTimeout = sendTimeout, MaxPendingSendBytes = int.MaxValue });
        after.Should().BeLessThan(sendTimeout + TimeSpan.FromSeconds(8), "the stuck reply's deadline drops the link");
        handled.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task A_station_that_stops_reading_is_dropped_when_its_replies_pile_up()
    {
        // No deadline to speak of: only the bound on bytes waiting to be sent can end this one quickly.
        (TimeSpan after, _) = await FloodWithoutReadingAsync(OcppConnectionOptions.Default with { SendTimeout = TimeSpan.FromMinutes(5), MaxPendingSendBytes = 2 * ReplySize });
        after.Should().BeLessThan(TimeSpan.FromSeconds(10), "more than two replies waiting drops the link");
    }

    // A raw station with a tiny receive window sends 24 calls whose replies are 512 KiB each and never reads.
    // Returns how long the server took to drop it after the first call, and how many handlers ran.
    private async Task<(TimeSpan After, int Handled)> FloodWithoutReadingAsync(OcppConnectionOptions connection)
    {
        using var watch = new ProcessWatch();
        string big = new('x', ReplySize);
        int handled = 0;
        var options = OcppServerOptions.Default with { KeepAliveInterval = TimeSpan.Zero, Connection = connection with { LoggerFactory = watch.LoggerFactory } };
        await using OcppServer server = await Servers.StartAsync(options, setup: s =>
        {
            s.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppPayload.FromJson("""{"currentTime":"2025-01-01T00:00:00Z"}""")));
            s.Handle("DataTransfer", _ =>
            {
                Interlocked.Increment(ref handled);
                return new ValueTask<OcppReply>(OcppPayload.FromJson($$"""{"status":"Accepted","data":"{{big}}"}"""));
            });
        });
        var dropped = new TaskCompletionSource<OcppClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.StationDisconnected += (_, e) =>
        {
            if (e.Connection.Identity == "CP-STALLED")
            {
                dropped.TrySetResult(e.Closed);
            }
        };
        await using Bystander bystander = await Bystander.StartAsync(server.Endpoint());
        await using RawWebSocket ws = await RawWebSocket.ConnectAsync(server.Port!.Value, "/ocpp/CP-STALLED", "ocpp1.6", receiveBufferSize: 4096);

        var clock = Stopwatch.StartNew();
        try
        {
            for (int i = 0; i < 24; i++)
            {
                await ws.SendTextAsync($$"""[2,"d{{i}}","DataTransfer",{"vendorId":"acme"}]""");
            }
        }
        catch (IOException)
        {
            // Dropped while still sending.
        }

        OcppClosedEventArgs closed = await dropped.Task.Within(TimeSpan.FromSeconds(60), "the server drops the station that stopped reading");
        TimeSpan after = clock.Elapsed;
        output.WriteLine($"dropped after {after.TotalSeconds:0.0} s with {closed.Code} ({closed.Reason}); {handled} handlers ran");
        closed.Code.Should().Be(1006, "no close frame can pass a peer that does not read");
        closed.Reason.Should().StartWith("The peer", "the reason says why the server dropped it");
        closed.ClosedByPeer.Should().BeFalse();

        await Eventually.HoldsAsync(() => server.ConnectionCount == 1, "only the bystander is left");
        (await bystander.StopAsync()).Should().BeGreaterThan(0);
        bystander.Failures.Should().BeEmpty("a bystander is served while a station stops reading");
        watch.AssertClean();
        return (after, Volatile.Read(ref handled));
    }
}

using System.Collections.Concurrent;
using System.Text;
using Ocpp.Rpc.Tests.Support;

namespace Ocpp.Rpc.Tests;

// IOcppMessageObserver: every frame in and out, bad ones included; a throwing observer breaks nothing.
public class MessageObserverTests
{
    private sealed class Capture : IOcppMessageObserver
    {
        public ConcurrentQueue<string> Frames { get; } = new();

        public void OnMessage(OcppConnection connection, OcppDirection direction, ReadOnlySpan<byte> message) =>
            Frames.Enqueue($"{connection.Identity} {direction}: {Encoding.UTF8.GetString(message)}");
    }

    private sealed class Throwing : IOcppMessageObserver
    {
        public void OnMessage(OcppConnection connection, OcppDirection direction, ReadOnlySpan<byte> message) => throw new InvalidOperationException("observer bug");
    }

    [Fact]
    public async Task Sees_every_inbound_and_outbound_frame_bad_ones_included()
    {
        var capture = new Capture();
        var options = OcppConnectionOptions.Default with { MessageObservers = [new Throwing(), capture] };
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp16, options,
            c => c.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppPayload.FromJson("""{"currentTime":"2025-01-01T00:00:00Z"}"""))));

        await peer.SendAsync("""[2,"1","Heartbeat",{}]""");
        await peer.ReceiveAsync();
        await peer.SendAsync("""not json""");
        await peer.ReceiveAsync();
        Task<System.Text.Json.JsonElement> call = peer.Connection.CallAsync("Reset", OcppPayload.FromJson("""{"type":"Soft"}"""));
        System.Text.Json.JsonElement outbound = await peer.ReceiveJsonAsync();
        await peer.SendAsync($$"""[3,"{{outbound[1].GetString()}}",{"status":"Accepted"}]""");
        await call;

        capture.Frames.Should().HaveCount(6);
        capture.Frames.ElementAt(0).Should().Be("""CP-TEST Inbound: [2,"1","Heartbeat",{}]""");
        capture.Frames.ElementAt(1).Should().Be("""CP-TEST Outbound: [3,"1",{"currentTime":"2025-01-01T00:00:00Z"}]""");
        capture.Frames.ElementAt(2).Should().Be("CP-TEST Inbound: not json");
        capture.Frames.ElementAt(3).Should().StartWith("CP-TEST Outbound: [4,\"-1\",\"FormationViolation\"");
        capture.Frames.ElementAt(4).Should().StartWith("CP-TEST Outbound: [2,").And.EndWith("""
"Reset",{"type":"Soft"}]
""".Trim());
        capture.Frames.ElementAt(5).Should().EndWith("""{"status":"Accepted"}]""");
        peer.Connection.State.Should().Be(OcppConnectionState.Open);
    }
}

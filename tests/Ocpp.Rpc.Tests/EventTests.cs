using System.Collections.Concurrent;
using System.Text.Json;
using Ocpp.Rpc.Tests.Support;

namespace Ocpp.Rpc.Tests;

public class EventTests
{
    [Fact]
    public async Task Call_and_result_events_fire_on_both_sides_with_payloads()
    {
        var log = new ConcurrentQueue<string>();
        var resultSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pair = ConnectedPair.Create(setup: (station, csms) =>
        {
            csms.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppPayload.FromJson("""{"currentTime":"t"}""")));
            station.CallSent += (_, e) => log.Enqueue($"station CallSent {e.Direction} {e.Action} {e.Payload}");
            csms.CallReceived += (_, e) => log.Enqueue($"csms CallReceived {e.Direction} {e.Action} {e.Payload}");
            csms.ResultSent += (_, e) =>
            {
                log.Enqueue($"csms ResultSent {e.Direction} {e.Action} {e.Payload}");
                resultSent.TrySetResult();
            };
            station.ResultReceived += (_, e) => log.Enqueue($"station ResultReceived {e.Direction} {e.Action} {e.Payload}");
        });
        await pair.Station.CallAsync("Heartbeat", OcppPayload.FromJson("""{"x":1}"""));
        // ResultSent fires once the send completed, possibly after the station saw the result.
        await resultSent.Task.WaitAsync(TimeSpan.FromSeconds(5));

        // Order is defined per connection; across the two connections it is a race by nature.
        log.Where(l => l.StartsWith("station", StringComparison.Ordinal)).Should().Equal(
            "station CallSent Outbound Heartbeat {\"x\":1}",
            "station ResultReceived Inbound Heartbeat {\"currentTime\":\"t\"}");
        log.Where(l => l.StartsWith("csms", StringComparison.Ordinal)).Should().Equal(
            "csms CallReceived Inbound Heartbeat {\"x\":1}",
            "csms ResultSent Outbound Heartbeat {\"currentTime\":\"t\"}");
    }

    [Fact]
    public async Task Error_events_fire_on_both_sides()
    {
        var sentEvent = new TaskCompletionSource<OcppErrorEventArgs>();
        OcppErrorEventArgs? received = null;
        await using var pair = ConnectedPair.Create(OcppProtocols.Ocpp16, setup: (station, csms) =>
        {
            csms.Handle("Reset", _ => throw new OcppOccurrenceConstraintViolationException("no type"));
            csms.ErrorSent += (_, e) => sentEvent.TrySetResult(e);
            station.ErrorReceived += (_, e) => received = e;
        });
        await pair.Station.Invoking(s => s.CallAsync("Reset")).Should().ThrowAsync<OcppOccurrenceConstraintViolationException>();
        OcppErrorEventArgs sent = await sentEvent.Task.WaitAsync(TimeSpan.FromSeconds(5));
        sent.WireCode.Should().Be("OccurenceConstraintViolation");
        sent.Action.Should().Be("Reset");
        received!.Code.Should().Be(OcppErrorCode.OccurrenceConstraintViolation);
        received.Action.Should().Be("Reset");
        received.Description.Should().Be("no type");
        received.Details.Should().Be("{}");
    }

    [Fact]
    public async Task Call_result_error_from_the_peer_is_reported_on_2_1()
    {
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp21);
        var received = new TaskCompletionSource<OcppErrorEventArgs>();
        peer.Connection.ErrorReceived += (_, e) => received.TrySetResult(e);
        await peer.SendAsync("""[5,"r1","FormatViolation","your result was bad",{"k":1}]""");
        OcppErrorEventArgs e = await received.Task.WaitAsync(TimeSpan.FromSeconds(5));
        e.MessageType.Should().Be(OcppMessageType.CallResultError);
        e.MessageId.Should().Be("r1");
        e.Code.Should().Be(OcppErrorCode.FormatViolation);
        e.Details.Should().Be("""{"k":1}""");
        await peer.ExpectSilenceAsync();
    }

    [Fact]
    public async Task A_throwing_subscriber_does_not_break_the_connection()
    {
        await using var pair = ConnectedPair.Create(setup: (station, csms) =>
        {
            csms.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppReply.Empty));
            csms.CallReceived += (_, _) => throw new InvalidOperationException("subscriber bug");
            station.ResultReceived += (_, _) => throw new InvalidOperationException("subscriber bug");
        });
        JsonElement result = await pair.Station.CallAsync("Heartbeat");
        result.ValueKind.Should().Be(JsonValueKind.Object);
    }
}

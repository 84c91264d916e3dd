using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Ocpp.Rpc.Tests.Support;

namespace Ocpp.Rpc.Tests;

// Listeners are process-wide: keep these tests out of parallel runs with each other.
[Collection(nameof(TelemetryTests))]
public class TelemetryTests
{
    [Fact]
    public async Task Calls_produce_activities_and_metrics_named_after_the_package()
    {
        var activities = new ConcurrentBag<Activity>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Ocpp.Rpc",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        ActivitySource.AddActivityListener(activityListener);

        var measurements = new ConcurrentBag<(string Instrument, double Value, string Tags)>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Ocpp.Rpc")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meterListener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Add((i.Name, v, Format(tags))));
        meterListener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Add((i.Name, v, Format(tags))));
        meterListener.Start();

        await using (var pair = ConnectedPair.Create(setup: (_, csms) => csms.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppReply.Empty))))
        {
            await pair.Station.CallAsync("Heartbeat");
            await pair.Station.Invoking(s => s.CallAsync("Nope")).Should().ThrowAsync<OcppNotImplementedException>();
        }

        activities.Should().Contain(a => a.DisplayName == "ocpp.call Heartbeat" && a.Kind == ActivityKind.Client && a.Status != ActivityStatusCode.Error);
        activities.Should().Contain(a => a.DisplayName == "ocpp.handle Heartbeat" && a.Kind == ActivityKind.Server);
        activities.Should().Contain(a => a.DisplayName == "ocpp.call Nope" && a.Status == ActivityStatusCode.Error && (string?)a.GetTagItem("error.type") == "NotImplemented");
        measurements.Should().Contain(m => m.Instrument == "ocpp.rpc.call.duration" && m.Tags.Contains("ocpp.action=Heartbeat") && m.Tags.Contains("ocpp.outcome=ok"));
        measurements.Should().Contain(m => m.Instrument == "ocpp.rpc.messages" && m.Tags.Contains("ocpp.message_type=CALLERROR") && m.Tags.Contains("ocpp.direction=out"));
        measurements.Should().Contain(m => m.Instrument == "ocpp.rpc.connections.active" && m.Value == 1);
        measurements.Should().Contain(m => m.Instrument == "ocpp.rpc.connections.active" && m.Value == -1);
    }

    private static string Format(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>();
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            parts.Add($"{tag.Key}={tag.Value}");
        }

        return string.Join(',', parts);
    }
}

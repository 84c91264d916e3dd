using System.Text.Json;
using Ocpp.Rpc.Transport;
using V16 = Ocpp.Rpc.Messages.V16;
using V201 = Ocpp.Rpc.Messages.V201;
using V21 = Ocpp.Rpc.Messages.V21;

namespace Ocpp.Rpc.Messages.Tests;

/// <summary>Generated records through the real engine: typed calls infer their response, typed handlers answer.</summary>
public class EngineTypedTests
{
    private static (OcppConnection Station, OcppConnection Csms) Pair(string protocol, Action<OcppConnection> csmsHandlers)
    {
        (InMemoryTransport a, InMemoryTransport b) = InMemoryTransport.CreatePair(protocol);
        var station = new OcppConnection(a, identity: "CP-1");
        var csms = new OcppConnection(b, identity: "CP-1");
        csmsHandlers(csms);
        station.Start();
        csms.Start();
        return (station, csms);
    }

    [Fact]
    public async Task V16_boot_notification_round_trips_typed()
    {
        (OcppConnection station, OcppConnection csms) = Pair(OcppProtocols.Ocpp16, c =>
            c.Handle<V16.BootNotificationRequest, V16.BootNotificationResponse>((req, _) => new V16.BootNotificationResponse
            {
                Status = req.ChargePointVendor == "Acme" ? V16.RegistrationStatus.Accepted : V16.RegistrationStatus.Rejected,
                Interval = 300,
                CurrentTime = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
            }));
        await using (station)
        await using (csms)
        {
            V16.BootNotificationResponse response = await station.CallAsync(new V16.BootNotificationRequest { ChargePointVendor = "Acme", ChargePointModel = "X1" });
            response.Status.Should().Be(V16.RegistrationStatus.Accepted);
            response.Interval.Should().Be(300);
        }
    }

    [Fact]
    public async Task V201_typed_handler_rejects_payloads_that_do_not_fit_with_FormatViolation()
    {
        (OcppConnection station, OcppConnection csms) = Pair(OcppProtocols.Ocpp201, c =>
            c.Handle<V201.BootNotificationRequest, V201.BootNotificationResponse>((req, _) => new V201.BootNotificationResponse
            {
                Status = V201.RegistrationStatusEnumType.Accepted,
                Interval = 60,
                CurrentTime = DateTimeOffset.UtcNow,
            }));
        await using (station)
        await using (csms)
        {
            V201.BootNotificationResponse ok = await station.CallAsync(new V201.BootNotificationRequest
            {
                Reason = V201.BootReasonEnumType.PowerUp,
                ChargingStation = new V201.ChargingStationType { Model = "X1", VendorName = "Acme" },
            });
            ok.Status.Should().Be(V201.RegistrationStatusEnumType.Accepted);

            // An unknown enum value cannot be deserialized into the record: the handler never runs.
            await station.Invoking(s => s.CallAsync("BootNotification", OcppPayload.FromJson("""{"reason":"Bored","chargingStation":{"model":"X","vendorName":"Y"}}""")))
                .Should().ThrowAsync<OcppFormatViolationException>();
        }
    }

    [Fact]
    public async Task V21_periodic_event_stream_is_a_typed_send()
    {
        var received = new TaskCompletionSource<V21.NotifyPeriodicEventStreamMessage>();
        (OcppConnection station, OcppConnection csms) = Pair(OcppProtocols.Ocpp21, c =>
            c.HandleSend<V21.NotifyPeriodicEventStreamMessage>((m, _) => { received.TrySetResult(m); return ValueTask.CompletedTask; }));
        await using (station)
        await using (csms)
        {
            await station.SendAsync(new V21.NotifyPeriodicEventStreamMessage { Id = 7, Pending = 0, Basetime = DateTimeOffset.UnixEpoch, Data = [] });
            V21.NotifyPeriodicEventStreamMessage message = await received.Task.WaitAsync(TimeSpan.FromSeconds(5));
            message.Id.Should().Be(7);
        }
    }

    [Fact]
    public async Task A_typed_request_of_another_version_is_refused()
    {
        (OcppConnection station, OcppConnection csms) = Pair(OcppProtocols.Ocpp201, _ => { });
        await using (station)
        await using (csms)
        {
            await station.Invoking(s => s.CallAsync(new V16.HeartbeatRequest())).Should().ThrowAsync<ArgumentException>();
        }
    }
}

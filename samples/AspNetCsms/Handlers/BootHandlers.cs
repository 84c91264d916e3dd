using V16 = Ocpp.Rpc.Messages.V16;
using V201 = Ocpp.Rpc.Messages.V201;

namespace Ocpp.Rpc.Samples.AspNetCsms;

/// <summary>BootNotification for both versions; resolved per call with that call's <see cref="StationSession"/>.</summary>
internal sealed class BootHandlers(StationSession session) :
    IOcppHandler<V16.BootNotificationRequest, V16.BootNotificationResponse>,
    IOcppHandler<V201.BootNotificationRequest, V201.BootNotificationResponse>
{
    private const int HeartbeatInterval = 300;

    public ValueTask<V16.BootNotificationResponse> HandleAsync(V16.BootNotificationRequest request, OcppCallContext context)
    {
        Record(context, request.ChargePointVendor, request.ChargePointModel);
        return ValueTask.FromResult(new V16.BootNotificationResponse { Status = V16.RegistrationStatus.Accepted, Interval = HeartbeatInterval, CurrentTime = DateTimeOffset.UtcNow });
    }

    public ValueTask<V201.BootNotificationResponse> HandleAsync(V201.BootNotificationRequest request, OcppCallContext context)
    {
        Record(context, request.ChargingStation.VendorName, request.ChargingStation.Model);
        return ValueTask.FromResult(new V201.BootNotificationResponse { Status = V201.RegistrationStatusEnumType.Accepted, Interval = HeartbeatInterval, CurrentTime = DateTimeOffset.UtcNow });
    }

    private void Record(OcppCallContext context, string vendor, string model)
    {
        session.Stage(new StationRecord(context.Identity, context.Protocol!, vendor, model, DateTimeOffset.UtcNow, 0));
        session.Commit();
    }
}

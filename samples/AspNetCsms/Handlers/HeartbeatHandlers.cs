using V16 = Ocpp.Rpc.Messages.V16;
using V201 = Ocpp.Rpc.Messages.V201;

namespace Ocpp.Rpc.Samples.AspNetCsms;

/// <summary>Heartbeat for both versions: counts it on the station's record.</summary>
internal sealed class HeartbeatHandlers(StationSession session) :
    IOcppHandler<V16.HeartbeatRequest, V16.HeartbeatResponse>,
    IOcppHandler<V201.HeartbeatRequest, V201.HeartbeatResponse>
{
    public ValueTask<V16.HeartbeatResponse> HandleAsync(V16.HeartbeatRequest request, OcppCallContext context) =>
        ValueTask.FromResult(new V16.HeartbeatResponse { CurrentTime = Beat(context) });

    public ValueTask<V201.HeartbeatResponse> HandleAsync(V201.HeartbeatRequest request, OcppCallContext context) =>
        ValueTask.FromResult(new V201.HeartbeatResponse { CurrentTime = Beat(context) });

    private DateTimeOffset Beat(OcppCallContext context)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        if (session.Find(context.Identity) is { } station)
        {
            session.Stage(station with { LastSeen = now, Heartbeats = station.Heartbeats + 1 });
            session.Commit();
        }

        return now;
    }
}

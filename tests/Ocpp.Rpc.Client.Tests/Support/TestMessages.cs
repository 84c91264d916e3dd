using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Ocpp.Rpc.Client.Tests.Support;

/// <summary>A hand-written typed OCPP 1.6 Heartbeat, to exercise the client's typed call.</summary>
public sealed record HeartbeatRequest : IOcppRequest<HeartbeatRequest, HeartbeatResponse>
{
    public static string Action => "Heartbeat";

    public static string Protocol => OcppProtocols.Ocpp16;

    public static JsonTypeInfo<HeartbeatRequest> RequestTypeInfo => ClientTestJsonContext.Default.HeartbeatRequest;

    public static JsonTypeInfo<HeartbeatResponse> ResponseTypeInfo => ClientTestJsonContext.Default.HeartbeatResponse;
}

public sealed record HeartbeatResponse
{
    [JsonPropertyName("currentTime")]
    public required DateTimeOffset CurrentTime { get; init; }
}

/// <summary>A typed OCPP 2.1 SEND message.</summary>
public sealed record PeriodicEvent : IOcppSendMessage<PeriodicEvent>
{
    [JsonPropertyName("id")]
    public int Id { get; init; }

    public static string Action => "NotifyPeriodicEventStream";

    public static string Protocol => OcppProtocols.Ocpp21;

    public static JsonTypeInfo<PeriodicEvent> MessageTypeInfo => ClientTestJsonContext.Default.PeriodicEvent;
}

[JsonSerializable(typeof(HeartbeatRequest))]
[JsonSerializable(typeof(HeartbeatResponse))]
[JsonSerializable(typeof(PeriodicEvent))]
internal sealed partial class ClientTestJsonContext : JsonSerializerContext;

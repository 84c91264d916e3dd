using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Ocpp.Rpc.Tests.Support;

/// <summary>A hand-written typed message pair, as a vendor would write one, to test the typed API of the core.</summary>
public sealed record TestBootRequest : IOcppRequest<TestBootRequest, TestBootResponse>
{
    [JsonPropertyName("chargePointVendor")]
    public required string Vendor { get; init; }

    [JsonPropertyName("chargePointModel")]
    public required string Model { get; init; }

    public static string Action => "BootNotification";

    public static string Protocol => OcppProtocols.Ocpp16;

    public static JsonTypeInfo<TestBootRequest> RequestTypeInfo => TestJsonContext.Default.TestBootRequest;

    public static JsonTypeInfo<TestBootResponse> ResponseTypeInfo => TestJsonContext.Default.TestBootResponse;
}

public sealed record TestBootResponse
{
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    [JsonPropertyName("interval")]
    public required int Interval { get; init; }

    [JsonPropertyName("currentTime")]
    public required DateTimeOffset CurrentTime { get; init; }
}

public sealed record TestStreamMessage : IOcppSendMessage<TestStreamMessage>
{
    [JsonPropertyName("id")]
    public int Id { get; init; }

    public static string Action => "NotifyPeriodicEventStream";

    public static string Protocol => OcppProtocols.Ocpp21;

    public static JsonTypeInfo<TestStreamMessage> MessageTypeInfo => TestJsonContext.Default.TestStreamMessage;
}

[JsonSerializable(typeof(TestBootRequest))]
[JsonSerializable(typeof(TestBootResponse))]
[JsonSerializable(typeof(TestStreamMessage))]
internal sealed partial class TestJsonContext : JsonSerializerContext;

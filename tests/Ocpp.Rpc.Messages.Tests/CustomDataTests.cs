using System.Text.Json;
using System.Text.Json.Nodes;
using V201 = Ocpp.Rpc.Messages.V201;
using V21 = Ocpp.Rpc.Messages.V21;

namespace Ocpp.Rpc.Messages.Tests;

public sealed class CustomDataTests
{
    private const string Json = """
        {"reason":"PowerUp","chargingStation":{"model":"M","vendorName":"V",
         "customData":{"vendorId":"com.example","rating":{"kw":22.5,"phases":[1,2,3]},"note":"ünï"}},
         "customData":{"vendorId":"org.other","flag":true}}
        """;

    [Fact]
    public void Vendor_fields_of_customData_round_trip()
    {
        var request = JsonSerializer.Deserialize(Json, V201.BootNotificationRequest.RequestTypeInfo)!;
        request.CustomData!.VendorId.Should().Be("org.other");
        request.CustomData.AdditionalProperties!["flag"].GetBoolean().Should().BeTrue();
        request.ChargingStation.CustomData!.AdditionalProperties!["rating"].GetProperty("kw").GetDecimal().Should().Be(22.5m);

        var output = JsonSerializer.Serialize(request, V201.BootNotificationRequest.RequestTypeInfo);
        JsonSemantic.Equal(JsonNode.Parse(Json), JsonNode.Parse(output)).Should().BeTrue(output);
    }

    [Fact]
    public void CustomData_can_be_built_in_code()
    {
        var data = new V21.CustomDataType
        {
            VendorId = "com.example",
            AdditionalProperties = new() { ["x"] = JsonSerializer.SerializeToElement(5, V21.V21JsonContext.Default.Int32) },
        };
        var json = JsonSerializer.Serialize(new V21.HeartbeatRequest { CustomData = data }, V21.HeartbeatRequest.RequestTypeInfo);
        json.Should().Be("""{"customData":{"vendorId":"com.example","x":5}}""");
    }

    [Fact]
    public void CustomData_requires_vendorId()
    {
        var act = () => JsonSerializer.Deserialize("""{"customData":{"x":1}}""", V21.HeartbeatRequest.RequestTypeInfo);
        act.Should().Throw<JsonException>();
    }

    [Fact]
    public void Unknown_properties_outside_customData_are_rejected()
    {
        var act = () => JsonSerializer.Deserialize("""{"customData":{"vendorId":"v"},"extra":1}""", V21.HeartbeatRequest.RequestTypeInfo);
        act.Should().Throw<JsonException>("the schemas say additionalProperties: false");
    }
}

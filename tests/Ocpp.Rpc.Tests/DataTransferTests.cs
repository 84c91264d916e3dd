using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Ocpp.Rpc.Tests.Support;

namespace Ocpp.Rpc.Tests;

public sealed record Shout16 : IOcppDataTransferRequest<Shout16, Shouted>
{
    public static string VendorId => "com.acme";

    public static string MessageId => "Shout";

    public static string Protocol => OcppProtocols.Ocpp16;

    public static JsonTypeInfo<Shout16> RequestTypeInfo => DataTransferTestContext.Default.Shout16;

    public static JsonTypeInfo<Shouted> ResponseTypeInfo => DataTransferTestContext.Default.Shouted;

    [JsonPropertyName("text")]
    public required string Text { get; init; }
}

public sealed record Shout201 : IOcppDataTransferRequest<Shout201, Shouted>
{
    public static string VendorId => "com.acme";

    public static string MessageId => "Shout";

    public static string Protocol => OcppProtocols.Ocpp201;

    public static JsonTypeInfo<Shout201> RequestTypeInfo => DataTransferTestContext.Default.Shout201;

    public static JsonTypeInfo<Shouted> ResponseTypeInfo => DataTransferTestContext.Default.Shouted;

    [JsonPropertyName("text")]
    public required string Text { get; init; }
}

public sealed record Shouted
{
    [JsonPropertyName("loud")]
    public required string Loud { get; init; }
}

[JsonSourceGenerationOptions(UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(Shout16))]
[JsonSerializable(typeof(Shout201))]
[JsonSerializable(typeof(Shouted))]
internal sealed partial class DataTransferTestContext : JsonSerializerContext;

// Typed vendor DataTransfer on the wire: data as a JSON string in 1.6 and as a JSON value in 2.0.1, the router's
// statuses for unknown keys, FormatViolation for data that does not fit, and removal of handlers.
public sealed class DataTransferTests
{
    [Fact]
    public async Task In_1_6_data_is_a_json_string_both_ways()
    {
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp16, setup: c =>
            c.HandleDataTransfer<Shout16, Shouted>((request, _) => new Shouted { Loud = request.Text.ToUpperInvariant() }));

        await peer.SendAsync("""[2,"1","DataTransfer",{"vendorId":"com.acme","messageId":"Shout","data":"{\"text\":\"hi\"}"}]""");
        (await peer.ReceiveAsync()).Should().Be("""[3,"1",{"status":"Accepted","data":"{\"loud\":\"HI\"}"}]""");

        Task<OcppDataTransferResult<Shouted>> call = peer.Connection.CallDataTransferAsync(new Shout16 { Text = "ok" });
        JsonElement frame = await peer.ReceiveJsonAsync();
        frame[2].GetString().Should().Be("DataTransfer");
        frame[3].GetRawText().Should().Be("""{"vendorId":"com.acme","messageId":"Shout","data":"{\"text\":\"ok\"}"}""");
        await peer.SendAsync($$"""[3,"{{frame[1].GetString()}}",{"status":"Accepted","data":"{\"loud\":\"OK\"}"}]""");
        OcppDataTransferResult<Shouted> result = await call;
        result.Should().Be(new OcppDataTransferResult<Shouted>(OcppDataTransferStatus.Accepted, new Shouted { Loud = "OK" }));
    }

    [Fact]
    public async Task In_2_0_1_data_is_the_json_value_and_a_response_without_data_has_none()
    {
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp201, setup: c =>
            c.HandleDataTransfer<Shout201, Shouted>((request, _) => OcppDataTransferResult<Shouted>.Rejected()));

        await peer.SendAsync("""[2,"1","DataTransfer",{"vendorId":"com.acme","messageId":"Shout","data":{"text":"hi"}}]""");
        (await peer.ReceiveAsync()).Should().Be("""[3,"1",{"status":"Rejected"}]""");

        Task<OcppDataTransferResult<Shouted>> call = peer.Connection.CallDataTransferAsync(new Shout201 { Text = "ok" });
        JsonElement frame = await peer.ReceiveJsonAsync();
        frame[3].GetRawText().Should().Be("""{"vendorId":"com.acme","messageId":"Shout","data":{"text":"ok"}}""");
        await peer.SendAsync($$$"""[3,"{{{frame[1].GetString()}}}",{"status":"UnknownMessageId","statusInfo":{"reasonCode":"x"}}]""");
        (await call).Should().Be(new OcppDataTransferResult<Shouted>(OcppDataTransferStatus.UnknownMessageId, null));
    }

    [Theory]
    [InlineData("""{"vendorId":"com.acme","messageId":"Whisper"}""", "UnknownMessageId")]
    [InlineData("""{"vendorId":"com.acme"}""", "UnknownMessageId")]
    [InlineData("""{"vendorId":"org.other","messageId":"Shout"}""", "UnknownVendorId")]
    public async Task Keys_without_a_handler_get_the_spec_statuses(string payload, string status)
    {
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp16, setup: c =>
            c.HandleDataTransfer<Shout16, Shouted>((request, _) => new Shouted { Loud = request.Text }));
        await peer.SendAsync($$"""[2,"1","DataTransfer",{{payload}}]""");
        (await peer.ReceiveJsonAsync())[2].GetProperty("status").GetString().Should().Be(status);
    }

    [Theory]
    [InlineData("""{"vendorId":"com.acme","messageId":"Shout","data":"{\"text\":1}"}""")]
    [InlineData("""{"vendorId":"com.acme","messageId":"Shout","data":"not json"}""")]
    [InlineData("""{"vendorId":"com.acme","messageId":"Shout","data":{"text":"hi"}}""")]
    [InlineData("""{"vendorId":"com.acme","messageId":"Shout"}""")]
    [InlineData("""{"messageId":"Shout"}""")]
    public async Task Data_that_does_not_fit_the_record_gets_FormationViolation_in_1_6(string payload)
    {
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp16, setup: c =>
            c.HandleDataTransfer<Shout16, Shouted>((request, _) => new Shouted { Loud = request.Text }));
        await peer.SendAsync($$"""[2,"1","DataTransfer",{{payload}}]""");
        JsonElement reply = await peer.ReceiveJsonAsync();
        reply[0].GetInt32().Should().Be(4);
        reply[2].GetString().Should().Be("FormationViolation");
    }

    [Fact]
    public async Task Disposing_the_last_handler_removes_the_DataTransfer_handler()
    {
        IDisposable? registration = null;
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp16, setup: c =>
            registration = c.HandleDataTransfer<Shout16, Shouted>((request, _) => new Shouted { Loud = request.Text }));
        await peer.SendAsync("""[2,"1","DataTransfer",{"vendorId":"com.acme","messageId":"Shout","data":"{\"text\":\"a\"}"}]""");
        (await peer.ReceiveJsonAsync())[2].GetProperty("status").GetString().Should().Be("Accepted");

        registration!.Dispose();
        registration.Dispose();
        await peer.SendAsync("""[2,"2","DataTransfer",{"vendorId":"com.acme","messageId":"Shout","data":"{\"text\":\"a\"}"}]""");
        (await peer.ReceiveJsonAsync())[2].GetString().Should().Be("NotImplemented");

        // Registering again brings the router back.
        using var again = peer.Connection.HandleDataTransfer<Shout16, Shouted>((request, _) => new Shouted { Loud = "again" });
        await peer.SendAsync("""[2,"3","DataTransfer",{"vendorId":"com.acme","messageId":"Shout","data":"{\"text\":\"a\"}"}]""");
        (await peer.ReceiveJsonAsync())[2].GetProperty("data").GetString().Should().Be("""{"loud":"again"}""");
    }
}

using System.Text;
using System.Text.Json;
using Ocpp.Rpc.Transport;
using Ocpp.Rpc.Validation;

namespace Ocpp.Rpc.Validation.Tests;

/// <summary>The real schema validator inside the real engine: wire spellings per version, CALLRESULTERROR on 2.1.</summary>
public class EngineStrictModeTests
{
    private static readonly OcppSchemaValidator Validator = new();

    private static async Task<(OcppConnection Engine, InMemoryTransport Wire)> StartAsync(string protocol, Action<OcppConnection>? handlers = null)
    {
        (InMemoryTransport engineSide, InMemoryTransport wire) = InMemoryTransport.CreatePair(protocol);
        var engine = new OcppConnection(engineSide, OcppConnectionOptions.Default with { Validator = Validator });
        handlers?.Invoke(engine);
        engine.Start();
        await Task.Yield();
        return (engine, wire);
    }

    private static async Task<JsonElement> ReceiveAsync(InMemoryTransport wire)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        (await wire.ReceiveAsync(buffer, cts.Token)).Kind.Should().Be(TransportMessageKind.Text);
        return JsonElement.Parse(buffer.WrittenSpan);
    }

    [Theory]
    [InlineData(OcppProtocols.Ocpp16, """{"chargePointModel":"X1"}""", "OccurenceConstraintViolation")]
    [InlineData(OcppProtocols.Ocpp16, """{"chargePointVendor":5,"chargePointModel":"X1"}""", "TypeConstraintViolation")]
    [InlineData(OcppProtocols.Ocpp16, """{"chargePointVendor":"V","chargePointModel":"X1","extra":1}""", "PropertyConstraintViolation")]
    [InlineData(OcppProtocols.Ocpp201, """{"chargingStation":{"model":"X1","vendorName":"V"}}""", "OccurrenceConstraintViolation")]
    [InlineData(OcppProtocols.Ocpp201, """{"reason":"Bored","chargingStation":{"model":"X1","vendorName":"V"}}""", "PropertyConstraintViolation")]
    [InlineData(OcppProtocols.Ocpp21, """{"reason":"PowerUp","chargingStation":{"model":5,"vendorName":"V"}}""", "TypeConstraintViolation")]
    public async Task Invalid_inbound_calls_get_the_version_s_spelling(string protocol, string payload, string wireCode)
    {
        bool handled = false;
        (OcppConnection engine, InMemoryTransport wire) = await StartAsync(protocol, c => c.Handle("BootNotification", _ => { handled = true; return new ValueTask<OcppReply>(OcppReply.Empty); }));
        await using (engine)
        {
            await wire.SendAsync(Encoding.UTF8.GetBytes($$"""[2,"b1","BootNotification",{{payload}}]"""));
            JsonElement reply = await ReceiveAsync(wire);
            reply[0].GetInt32().Should().Be(4);
            reply[2].GetString().Should().Be(wireCode);
            handled.Should().BeFalse();
        }
    }

    [Fact]
    public async Task An_invalid_call_result_on_2_1_is_answered_with_call_result_error()
    {
        (OcppConnection engine, InMemoryTransport wire) = await StartAsync(OcppProtocols.Ocpp21);
        await using (engine)
        {
            Task<JsonElement> call = engine.CallAsync("Heartbeat");
            string id = (await ReceiveAsync(wire))[1].GetString()!;
            await wire.SendAsync(Encoding.UTF8.GetBytes($$"""[3,"{{id}}",{"currentTime":"2025-01-01T00:00:00"}]""")); // no offset
            await call.Invoking(c => c).Should().ThrowAsync<OcppPropertyConstraintViolationException>();
            JsonElement reply = await ReceiveAsync(wire);
            reply[0].GetInt32().Should().Be(5);
            reply[1].GetString().Should().Be(id);
            reply[2].GetString().Should().Be("PropertyConstraintViolation");
        }
    }

    [Fact]
    public async Task Valid_traffic_passes_and_invalid_requests_are_never_sent()
    {
        (OcppConnection engine, InMemoryTransport wire) = await StartAsync(OcppProtocols.Ocpp16);
        await using (engine)
        {
            await engine.Invoking(e => e.CallAsync("Reset", OcppPayload.FromJson("""{"type":"Softly"}""")))
                .Should().ThrowAsync<OcppPropertyConstraintViolationException>();
            Task<JsonElement> call = engine.CallAsync("Reset", OcppPayload.FromJson("""{"type":"Soft"}"""));
            JsonElement sent = await ReceiveAsync(wire);
            sent[3].GetProperty("type").GetString().Should().Be("Soft", "the invalid request was never sent");
            await wire.SendAsync(Encoding.UTF8.GetBytes($$"""[3,"{{sent[1].GetString()}}",{"status":"Accepted"}]"""));
            (await call).GetProperty("status").GetString().Should().Be("Accepted");
        }
    }
}

using System.Text.Json;
using V16 = Ocpp.Rpc.Messages.V16;
using V201 = Ocpp.Rpc.Messages.V201;
using V21 = Ocpp.Rpc.Messages.V21;

namespace Ocpp.Rpc.Messages.Tests;

public sealed class EnumTests
{
    private static V16.SampledValue Sampled(V16.UnitOfMeasure unit) =>
        new() { Value = "1", Unit = unit, Measurand = V16.Measurand.EnergyActiveImportRegister, Phase = V16.Phase.L1N };

    private static string Serialize(V16.SampledValue value)
    {
        var request = new V16.MeterValuesRequest
        {
            ConnectorId = 1,
            MeterValue = [new V16.MeterValue { Timestamp = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), SampledValue = [value] }],
        };
        return JsonSerializer.Serialize(request, V16.MeterValuesRequest.RequestTypeInfo);
    }

    [Fact]
    public void Celcius_and_Celsius_are_distinct_members_with_exact_wire_strings()
    {
        V16.UnitOfMeasure.Celcius.Should().NotBe(V16.UnitOfMeasure.Celsius);
        Serialize(Sampled(V16.UnitOfMeasure.Celcius)).Should().Contain("\"unit\":\"Celcius\"");
        Serialize(Sampled(V16.UnitOfMeasure.Celsius)).Should().Contain("\"unit\":\"Celsius\"");
    }

    [Fact]
    public void Dotted_and_dashed_values_use_exact_wire_strings()
    {
        var json = Serialize(Sampled(V16.UnitOfMeasure.KWh));
        json.Should().Contain("\"measurand\":\"Energy.Active.Import.Register\"").And.Contain("\"phase\":\"L1-N\"").And.Contain("\"unit\":\"kWh\"");

        var back = JsonSerializer.Deserialize(json, V16.MeterValuesRequest.RequestTypeInfo)!;
        back.MeterValue[0].SampledValue[0].Measurand.Should().Be(V16.Measurand.EnergyActiveImportRegister);
        back.MeterValue[0].SampledValue[0].Phase.Should().Be(V16.Phase.L1N);
    }

    [Fact]
    public void DeAuthorized_and_Deauthorized_keep_their_spelling()
    {
        var stopped = new V201.TransactionType { TransactionId = "t", StoppedReason = V201.ReasonEnumType.DeAuthorized };
        JsonSerializer.Serialize(stopped, V201.V201JsonContext.Default.TransactionType).Should().Contain("\"stoppedReason\":\"DeAuthorized\"");

        var trigger = JsonSerializer.Deserialize("\"Deauthorized\"", V21.V21JsonContext.Default.TriggerReasonEnumType);
        trigger.Should().Be(V21.TriggerReasonEnumType.Deauthorized);
        JsonSerializer.Serialize(V21.TriggerReasonEnumType.Deauthorized, V21.V21JsonContext.Default.TriggerReasonEnumType).Should().Be("\"Deauthorized\"");

        var wrongCase = () => JsonSerializer.Deserialize("\"DeAuthorized\"", V21.V21JsonContext.Default.TriggerReasonEnumType);
        wrongCase.Should().Throw<JsonException>("TriggerReasonEnumType only knows 'Deauthorized'");
    }

    [Theory]
    [InlineData("\"accepted\"")]
    [InlineData("\"ACCEPTED\"")]
    [InlineData("\"Accepted \"")]
    [InlineData("\"Bogus\"")]
    [InlineData("0")]
    [InlineData("null")]
    public void Unknown_or_miscased_enum_value_throws(string status)
    {
        var json = $$"""{"status":{{status}},"currentTime":"2025-01-01T00:00:00Z","interval":300}""";
        var act = () => JsonSerializer.Deserialize(json, V16.BootNotificationRequest.ResponseTypeInfo);
        act.Should().Throw<JsonException>();
    }

    [Fact]
    public void Undefined_numeric_member_cannot_be_written()
    {
        var act = () => JsonSerializer.Serialize((V16.RegistrationStatus)99, V16.V16JsonContext.Default.RegistrationStatus);
        act.Should().Throw<JsonException>();
    }
}

using Ocpp.Rpc.Tests.Shared;
using Ocpp.Rpc.Validation.Internal;
using Ocpp.Rpc.Validation.Tests.Reference;

namespace Ocpp.Rpc.Validation.Tests;

public class DateTimeTests
{
    // The same table the typed serializer is tested with: strict mode accepts exactly what deserializes.
    [Theory]
    [MemberData(nameof(DateTimeCases.All), MemberType = typeof(DateTimeCases))]
    public void Strict_mode_accepts_exactly_the_date_times_the_typed_messages_read(string text, string? expected)
    {
        foreach (string protocol in new[] { "ocpp1.6", "ocpp2.0.1", "ocpp2.1" })
        {
            string json = $"{{\"currentTime\":{System.Text.Json.JsonSerializer.Serialize(text)}}}";
            OcppValidationFailure? failure = Shared.Validator.Validate(protocol, "Heartbeat", OcppPayloadKind.Response, json);
            (failure is null).Should().Be(expected is not null, "{0} {1}", protocol, text);
            StringFormats.IsValid(StringFormat.DateTime, text).Should().Be(expected is not null, "the full validation decides alike");
            new StrictDateTimeFormatValidator().IsValid(text, Newtonsoft.Json.Linq.JTokenType.String).Should().Be(expected is not null, "and the NJsonSchema reference");
        }
    }

    [Theory]
    [InlineData("ocpp1.6", "{\"currentTime\":\"2024-01-01T00:00:00\"}")]
    [InlineData("ocpp2.0.1", "{\"currentTime\":\"2024-01-01T00:00:00\"}")]
    [InlineData("ocpp2.1", "{\"currentTime\":\"2024-13-01T00:00:00Z\"}")]
    public void Heartbeat_response_with_a_lax_date_time_is_a_property_constraint_violation(string protocol, string json)
    {
        OcppValidationFailure failure = Shared.Validator.Validate(protocol, "Heartbeat", OcppPayloadKind.Response, json)!;

        failure.Should().NotBeNull();
        failure.Code.Should().Be(OcppErrorCode.PropertyConstraintViolation);
        failure.Description.Should().Be("currentTime: must be an RFC 3339 date-time with offset");
        failure.Errors.Should().Equal("currentTime: Format");
    }

    [Theory]
    [InlineData("ocpp1.6", "2024-01-01T00:00:00.123+02:00")]
    [InlineData("ocpp2.0.1", "2024-01-01T00:00:00Z")]
    [InlineData("ocpp2.1", "2024-06-30t10:00:00.5z")]
    public void Heartbeat_response_with_a_strict_date_time_is_valid(string protocol, string value) =>
        Shared.Validator.Validate(protocol, "Heartbeat", OcppPayloadKind.Response, $"{{\"currentTime\":\"{value}\"}}").Should().BeNull();
}

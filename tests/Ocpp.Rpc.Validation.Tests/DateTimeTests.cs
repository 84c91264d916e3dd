using Ocpp.Rpc.Validation.Internal;

namespace Ocpp.Rpc.Validation.Tests;

public class DateTimeTests
{
    [Theory]
    [InlineData("2024-01-01T00:00:00Z")]
    [InlineData("2024-01-01T00:00:00.123+02:00")]
    [InlineData("2024-01-01T00:00:00.1Z")]
    [InlineData("2024-01-01T23:59:59.123456789-05:30")]
    [InlineData("2024-01-01t00:00:00z")] // RFC 3339 §5.6: T and Z may be lower case.
    [InlineData("2024-02-29T12:00:00Z")] // leap year
    [InlineData("2000-02-29T12:00:00Z")] // divisible by 400
    [InlineData("2024-12-31T23:59:59+23:59")]
    [InlineData("0001-01-01T00:00:00-00:00")]
    public void Accepts_RFC_3339_date_time(string value) => Rfc3339.IsValidDateTime(value).Should().BeTrue();

    [Theory]
    [InlineData("2024-01-01T00:00:00")] // no offset
    [InlineData("2024-01-01T00:00:00.123")] // no offset
    [InlineData("2024-13-01T00:00:00Z")] // month 13
    [InlineData("2024-00-01T00:00:00Z")] // month 0
    [InlineData("2024-01-00T00:00:00Z")] // day 0
    [InlineData("2024-04-31T00:00:00Z")] // April has 30 days
    [InlineData("2023-02-29T00:00:00Z")] // not a leap year
    [InlineData("1900-02-29T00:00:00Z")] // divisible by 100, not by 400
    [InlineData("2024-01-01T24:00:00Z")]
    [InlineData("2024-01-01T00:60:00Z")]
    [InlineData("2024-01-01T00:00:60Z")] // leap second: not representable in .NET, rejected
    [InlineData("2024-01-01T00:00Z")] // no seconds
    [InlineData("2024-01-01 00:00:00Z")] // space instead of T
    [InlineData("2024-01-01")] // date only
    [InlineData("2024-01-01T00:00:00.Z")] // empty fraction
    [InlineData("2024-01-01T00:00:00+0200")] // offset without colon
    [InlineData("2024-01-01T00:00:00+02")] // offset without minutes
    [InlineData("2024-01-01T00:00:00+24:00")]
    [InlineData("2024-01-01T00:00:00+02:60")]
    [InlineData("2024-01-01T00:00:00Z ")] // trailing space
    [InlineData(" 2024-01-01T00:00:00Z")]
    [InlineData("2024-1-01T00:00:00Z")]
    [InlineData("24-01-01T00:00:00Z")]
    [InlineData("2024-01-01T00:00:00ZZ")]
    [InlineData("２０２４-01-01T00:00:00Z")] // non-ASCII digits
    [InlineData("")]
    public void Rejects_everything_else(string value) => Rfc3339.IsValidDateTime(value).Should().BeFalse();

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

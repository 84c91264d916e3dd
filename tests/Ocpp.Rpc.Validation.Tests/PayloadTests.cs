using System.Text;

namespace Ocpp.Rpc.Validation.Tests;

public class PayloadTests
{
    private const string Boot16 = "{\"chargePointVendor\":\"Acme\",\"chargePointModel\":\"X1\"}";

    [Fact]
    public void Valid_boot_notification_passes() =>
        Shared.Validator.Validate("ocpp1.6", "BootNotification", OcppPayloadKind.Request, Boot16).Should().BeNull();

    [Fact]
    public void Missing_required_property_is_described_with_its_path()
    {
        OcppValidationFailure failure = Shared.Validator.Validate("ocpp1.6", "BootNotification", OcppPayloadKind.Request, "{\"chargePointModel\":\"X1\"}")!;

        failure.Code.Should().Be(OcppErrorCode.OccurrenceConstraintViolation);
        failure.Description.Should().Be("chargePointVendor: required property is missing");
        failure.Errors.Should().Equal("chargePointVendor: Required");
    }

    [Fact]
    public void Every_error_is_listed_and_the_first_decides_the_code()
    {
        const string Json = "{\"reason\":\"Bogus\",\"chargingStation\":{\"model\":1,\"vendorName\":\"" + "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv" + "\",\"extra\":1},\"x\":2}";
        OcppValidationFailure failure = Shared.Validator.Validate("ocpp2.0.1", "BootNotification", OcppPayloadKind.Request, Json)!;

        failure.Errors.Should().BeEquivalentTo(
            "chargingStation.model: Type",
            "chargingStation.vendorName: Length",
            "chargingStation.extra: AdditionalProperty",
            "reason: Enum",
            "x: AdditionalProperty");
        failure.Code.Should().Be(OcppSchemaErrorCodes.Default(ViolationOf(failure.Errors[0]), OcppDialect.Ocpp201));
    }

    [Fact]
    public void Errors_inside_arrays_carry_the_item_path()
    {
        const string Json = "{\"evseId\":1,\"meterValue\":[{\"timestamp\":\"2024-01-01T00:00:00Z\",\"sampledValue\":[{\"value\":1.5,\"measurand\":\"Nope\"}]}]}";
        OcppValidationFailure failure = Shared.Validator.Validate("ocpp2.0.1", "MeterValues", OcppPayloadKind.Request, Json)!;

        failure.Errors.Should().Equal("meterValue[0].sampledValue[0].measurand: Enum");
        failure.Description.Should().Be("meterValue[0].sampledValue[0].measurand: value is not one of the allowed values");
    }

    [Fact]
    public void Null_payload_is_validated_as_an_empty_object()
    {
        Shared.Validator.Validate("ocpp1.6", "Heartbeat", OcppPayloadKind.Request, "null").Should().BeNull();
        Shared.Validator.Validate("ocpp2.1", "Heartbeat", OcppPayloadKind.Request, " null ").Should().BeNull();

        OcppValidationFailure failure = Shared.Validator.Validate("ocpp1.6", "BootNotification", OcppPayloadKind.Request, "null")!;
        failure.Code.Should().Be(OcppErrorCode.OccurrenceConstraintViolation);
        failure.Errors.Should().BeEquivalentTo("chargePointVendor: Required", "chargePointModel: Required");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("{}x")]
    [InlineData("{} {}")]
    [InlineData("{'a':1}")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{/*c*/}")]
    [InlineData("{\"a\":NaN}")]
    [InlineData("{\"a\":01}")]
    public void Malformed_json_is_a_format_violation(string json)
    {
        OcppValidationFailure failure = Shared.Validator.Validate("ocpp1.6", "Heartbeat", OcppPayloadKind.Request, json)!;

        failure.Code.Should().Be(OcppErrorCode.FormatViolation);
        failure.Errors.Should().Equal("$: InvalidJson");
        failure.Description.Should().StartWith("$: invalid JSON");
    }

    [Fact]
    public void Invalid_utf8_is_a_format_violation_and_never_echoed()
    {
        byte[] payload = [.. "{\"chargePointVendor\":\""u8, 0xC3, 0x28, .. "\",\"chargePointModel\":\"X\"}"u8];
        OcppValidationFailure failure = Shared.Validator.Validate("ocpp1.6", "BootNotification", OcppPayloadKind.Request, payload)!;

        failure.Code.Should().Be(OcppErrorCode.FormatViolation);
        failure.Errors.Should().Equal("$: InvalidJson");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[{}]")]
    [InlineData("42")]
    [InlineData("\"Heartbeat\"")]
    [InlineData("true")]
    public void Json_that_is_not_an_object_is_a_format_violation(string json)
    {
        OcppValidationFailure failure = Shared.Validator.Validate("ocpp2.0.1", "Heartbeat", OcppPayloadKind.Request, json)!;

        failure.Code.Should().Be(OcppErrorCode.FormatViolation);
        failure.Description.Should().Be("$: payload must be a JSON object");
        failure.Errors.Should().Equal("$: NotAnObject");
    }

    [Fact]
    public void Whitespace_and_escapes_are_read_like_any_json_reader()
    {
        const string Json = "\r\n { \"chargePointVendor\" : \"Ac\\u006De\" ,\n\t\"chargePointModel\":\"X\\\"1\" } \n";
        Shared.Validator.Validate("ocpp1.6", "BootNotification", OcppPayloadKind.Request, Json).Should().BeNull();
    }

    [Fact]
    public void Length_counts_characters_after_unescaping()
    {
        // 20 characters, written with escapes: valid for maxLength 20.
        string escaped = string.Concat(Enumerable.Repeat("\\u0041", 20));
        Shared.Validator.Validate("ocpp1.6", "BootNotification", OcppPayloadKind.Request, $"{{\"chargePointVendor\":\"{escaped}\",\"chargePointModel\":\"X\"}}")
            .Should().BeNull();
    }

    [Fact]
    public void Integer_field_rejects_a_string_and_a_fraction_even_if_zero()
    {
        Shared.Validator.Validate("ocpp1.6", "StatusNotification", OcppPayloadKind.Request, "{\"connectorId\":\"1\",\"errorCode\":\"NoError\",\"status\":\"Available\"}")!
            .Errors.Should().Equal("connectorId: Type");
        Shared.Validator.Validate("ocpp1.6", "StatusNotification", OcppPayloadKind.Request, "{\"connectorId\":1.5,\"errorCode\":\"NoError\",\"status\":\"Available\"}")!
            .Errors.Should().Equal("connectorId: Type");
        Shared.Validator.Validate("ocpp1.6", "StatusNotification", OcppPayloadKind.Request, "{\"connectorId\":1.0,\"errorCode\":\"NoError\",\"status\":\"Available\"}")!
            .Errors.Should().Equal("connectorId: Type"); // as in the typed messages: System.Text.Json reads no 1.0 into an int
    }

    [Theory]
    [InlineData("9223372036854775807", null)] // long.MaxValue
    [InlineData("18446744073709551615", null)] // ulong.MaxValue
    [InlineData("123456789012345678901234567890", "connectorId: Type")] // beyond 64 bits: no OCPP integer can hold it
    [InlineData("1e400", "connectorId: Type")]
    [InlineData("-1e400", "connectorId: Type")]
    public void Huge_numbers_are_reported_not_thrown(string number, string? error)
    {
        OcppValidationFailure? failure = Shared.Validator.Validate("ocpp1.6", "StatusNotification", OcppPayloadKind.Request,
            $"{{\"connectorId\":{number},\"errorCode\":\"NoError\",\"status\":\"Available\"}}");

        if (error is null)
        {
            failure.Should().BeNull("1.6 connectorId has no maximum");
        }
        else
        {
            failure!.Errors.Should().Equal(error);
        }
    }

    [Theory]
    [InlineData("123456789012345678901234567890")]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    public void Huge_numbers_in_ranged_fields_are_reported_not_thrown(string number)
    {
        Shared.Validator.Validate("ocpp2.1", "SetDisplayMessage", OcppPayloadKind.Request,
            $"{{\"message\":{{\"id\":{number},\"priority\":\"AlwaysFront\",\"message\":{{\"format\":\"UTF8\",\"content\":\"hi\"}}}}}}")
            .Should().NotBeNull();
    }

    [Fact]
    public void Enum_values_are_case_sensitive()
    {
        Shared.Validator.Validate("ocpp1.6", "StatusNotification", OcppPayloadKind.Request, "{\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"available\"}")!
            .Errors.Should().Equal("status: Enum");
    }

    [Fact]
    public void Unknown_action_in_a_validated_protocol_is_left_to_the_engine()
    {
        Shared.Validator.Validate("ocpp1.6", "NoSuchAction", OcppPayloadKind.Request, "not even json").Should().BeNull();
        Shared.Validator.Validate("ocpp1.6", "heartbeat", OcppPayloadKind.Request, "[]").Should().BeNull("action names are case-sensitive");
        Shared.Validator.HasSchema("ocpp1.6", "NoSuchAction", OcppPayloadKind.Request).Should().BeFalse();
    }

    [Fact]
    public void Unvalidated_protocols_are_not_checked()
    {
        Shared.Validator.Validate("ocpp1.5", "BootNotification", OcppPayloadKind.Request, "[]").Should().BeNull();
        Shared.Validator.Validate("ocpp2.0", "BootNotification", OcppPayloadKind.Request, "[]").Should().BeNull();
        Shared.Validator.Validate("acme", "BootNotification", OcppPayloadKind.Request, "[]").Should().BeNull();
    }

    [Fact]
    public void The_same_action_differs_between_versions()
    {
        // 1.6 BootNotification is flat, 2.0.1 nests chargingStation: each protocol uses its own schema.
        Shared.Validator.Validate("ocpp2.0.1", "BootNotification", OcppPayloadKind.Request, Boot16)!
            .Code.Should().Be(OcppErrorCode.OccurrenceConstraintViolation);
        Shared.Validator.Validate("ocpp2.0.1", "BootNotification", OcppPayloadKind.Request,
            "{\"reason\":\"PowerUp\",\"chargingStation\":{\"model\":\"X1\",\"vendorName\":\"Acme\"}}").Should().BeNull();
    }

    [Fact]
    public void Request_and_response_schemas_are_kept_apart()
    {
        Shared.Validator.Validate("ocpp1.6", "Heartbeat", OcppPayloadKind.Request, "{}").Should().BeNull();
        Shared.Validator.Validate("ocpp1.6", "Heartbeat", OcppPayloadKind.Response, "{}")!.Errors.Should().Equal("currentTime: Required");
    }

    [Fact]
    public void Custom_data_is_the_open_object_of_2_x()
    {
        Shared.Validator.Validate("ocpp2.0.1", "Heartbeat", OcppPayloadKind.Request, "{\"customData\":{\"vendorId\":\"acme\",\"anything\":[1,2]}}").Should().BeNull();
        Shared.Validator.Validate("ocpp2.0.1", "Heartbeat", OcppPayloadKind.Request, "{\"customData\":{\"anything\":1}}")!
            .Errors.Should().Equal("customData.vendorId: Required");
    }

    private static OcppSchemaViolation ViolationOf(string error) => Enum.Parse<OcppSchemaViolation>(error[(error.LastIndexOf(' ') + 1)..]);
}

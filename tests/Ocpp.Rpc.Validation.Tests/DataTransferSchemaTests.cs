using System.Text;
using Ocpp.Rpc;
using Ocpp.Rpc.Validation;

namespace Ocpp.Rpc.Validation.Tests;

// Strict mode checks the data of a vendor DataTransfer request against the schema of its (vendorId, messageId).
public sealed class DataTransferSchemaTests
{
    private const string Schema = """{"type":"object","properties":{"text":{"type":"string","maxLength":5},"n":{"type":"integer"}},"required":["text"],"additionalProperties":false}""";

    private static readonly OcppSchemaValidator Validator = new(OcppSchemaValidatorOptions.Default.WithDataTransferSchemas(
    [
        new OcppDataTransferSchema(OcppProtocols.Ocpp16, "com.acme", "SetDisplay", OcppPayloadKind.Request, Schema),
        new OcppDataTransferSchema(OcppProtocols.Ocpp16, "com.acme", "SetDisplay", OcppPayloadKind.Response, """{"type":"object","required":["lines"]}"""),
        new OcppDataTransferSchema(OcppProtocols.Ocpp201, "com.acme", "SetDisplay", OcppPayloadKind.Request, Schema),
    ]));

    private static OcppValidationFailure? Validate(string protocol, string json, OcppPayloadKind kind = OcppPayloadKind.Request) =>
        Validator.Validate(protocol, "DataTransfer", kind, Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("""{"vendorId":"com.acme","messageId":"SetDisplay","data":"{\"text\":\"hi\",\"n\":3}"}""")]
    [InlineData("""{"vendorId":"com.acme","messageId":"Other","data":"anything"}""")]
    [InlineData("""{"vendorId":"org.other","messageId":"SetDisplay","data":"{}"}""")]
    [InlineData("""{"vendorId":"com.acme","data":"{}"}""")]
    public void Valid_data_and_keys_without_a_schema_pass_in_1_6(string json) => Validate(OcppProtocols.Ocpp16, json).Should().BeNull();

    [Theory]
    [InlineData("""{"vendorId":"com.acme","messageId":"SetDisplay","data":"{\"text\":\"too long\"}"}""", OcppErrorCode.PropertyConstraintViolation, "data.text: ")]
    [InlineData("""{"vendorId":"com.acme","messageId":"SetDisplay","data":"{\"text\":\"a\",\"n\":\"x\"}"}""", OcppErrorCode.TypeConstraintViolation, "data.n: ")]
    [InlineData("""{"vendorId":"com.acme","messageId":"SetDisplay","data":"{}"}""", OcppErrorCode.OccurrenceConstraintViolation, "data.text: required")]
    [InlineData("""{"vendorId":"com.acme","messageId":"SetDisplay"}""", OcppErrorCode.OccurrenceConstraintViolation, "data.text: required")]
    [InlineData("""{"vendorId":"com.acme","messageId":"SetDisplay","data":"not json"}""", OcppErrorCode.FormatViolation, "data: invalid JSON")]
    [InlineData("""{"vendorId":"com.acme","messageId":"SetDisplay","data":"[1]"}""", OcppErrorCode.FormatViolation, "data: ")]
    public void Invalid_data_in_1_6_is_refused_with_paths_under_data(string json, OcppErrorCode code, string description)
    {
        var failure = Validate(OcppProtocols.Ocpp16, json);
        failure.Should().NotBeNull();
        failure!.Code.Should().Be(code);
        failure.Description.Should().StartWith(description);
    }

    [Fact]
    public void In_2_0_1_the_data_value_itself_is_checked()
    {
        Validate(OcppProtocols.Ocpp201, """{"vendorId":"com.acme","messageId":"SetDisplay","data":{"text":"hi"}}""").Should().BeNull();
        var failure = Validate(OcppProtocols.Ocpp201, """{"vendorId":"com.acme","messageId":"SetDisplay","data":{"text":"hi","extra":1}}""");
        failure!.Code.Should().Be(OcppErrorCode.PropertyConstraintViolation);
        failure.Description.Should().StartWith("data.extra: ");

        // The outer schema still comes first: 1.6 data must be a string.
        Validate(OcppProtocols.Ocpp16, """{"vendorId":"com.acme","messageId":"SetDisplay","data":{"text":"hi"}}""")!.Code.Should().Be(OcppErrorCode.TypeConstraintViolation);
    }

    [Fact]
    public void A_CALLRESULT_alone_is_not_checked_by_key_because_it_does_not_carry_one()
    {
        Validate(OcppProtocols.Ocpp16, """{"status":"Accepted","data":"{}"}""", OcppPayloadKind.Response).Should().BeNull();
    }

    [Theory]
    [InlineData("""{"status":"Accepted","data":"{\"lines\":2}"}""")]
    [InlineData("""{"status":"UnknownMessageId"}""")]
    [InlineData("""{"status":"Rejected","data":null}""")]
    public void Response_data_checked_with_the_request_s_key_passes_when_valid_or_absent(string json) =>
        Validator.ValidateDataTransferResponse(OcppProtocols.Ocpp16, "com.acme", "SetDisplay", Encoding.UTF8.GetBytes(json)).Should().BeNull();

    [Fact]
    public void Response_data_checked_with_the_request_s_key_is_refused_with_paths_under_data()
    {
        OcppValidationFailure? failure = Validator.ValidateDataTransferResponse(OcppProtocols.Ocpp16, "com.acme", "SetDisplay", """{"status":"Accepted","data":"{}"}"""u8);
        failure!.Code.Should().Be(OcppErrorCode.OccurrenceConstraintViolation);
        failure.Description.Should().StartWith("data.lines: required");
        Validator.ValidateDataTransferResponse(OcppProtocols.Ocpp16, "com.acme", "SetDisplay", """{"status":"Accepted","data":"nope"}"""u8)!
            .Code.Should().Be(OcppErrorCode.FormatViolation);

        // Keys and protocols without a response schema pass.
        Validator.ValidateDataTransferResponse(OcppProtocols.Ocpp16, "com.acme", "Other", """{"status":"Accepted","data":"{}"}"""u8).Should().BeNull();
        Validator.ValidateDataTransferResponse(OcppProtocols.Ocpp201, "com.acme", "SetDisplay", """{"status":"Accepted","data":{}}"""u8).Should().BeNull();
    }

    [Fact]
    public void A_broken_or_duplicate_DataTransfer_schema_fails_at_construction()
    {
        var broken = () => new OcppSchemaValidator(OcppSchemaValidatorOptions.Default.WithDataTransferSchemas(
            [new OcppDataTransferSchema(OcppProtocols.Ocpp16, "com.acme", "X", OcppPayloadKind.Request, """{"if":{}}""")]));
        broken.Should().Throw<ArgumentException>().WithMessage("*ocpp1.6 DataTransfer (com.acme, X) Request*if*");

        var duplicate = () => new OcppSchemaValidator(OcppSchemaValidatorOptions.Default.WithDataTransferSchemas(
            [new OcppDataTransferSchema(OcppProtocols.Ocpp16, "com.acme", "X", OcppPayloadKind.Request, "{}"), new OcppDataTransferSchema(OcppProtocols.Ocpp16, "com.acme", "X", OcppPayloadKind.Request, "{}")]));
        duplicate.Should().Throw<ArgumentException>().WithMessage("Two DataTransfer schemas for *");
    }
}

namespace Ocpp.Rpc.Validation.Tests;

public class OptionsTests
{
    private const string VendorSchema = """
        {
          "$schema": "http://json-schema.org/draft-07/schema",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "serial": { "type": "string", "pattern": "^[A-Z]{2}[0-9]{4}$" },
            "note": { "type": "string", "minLength": 2, "maxLength": 5 },
            "level": { "$ref": "#/definitions/Level" }
          },
          "required": ["serial"],
          "definitions": { "Level": { "type": "integer", "minimum": 0, "maximum": 3 } }
        }
        """;

    [Fact]
    public void Default_options_validate_the_three_official_versions()
    {
        OcppSchemaValidatorOptions.Default.Protocols.Should().BeEquivalentTo(["ocpp1.6", "ocpp2.0.1", "ocpp2.1"]);
        OcppSchemaValidatorOptions.Default.SkippedActions.Should().BeEmpty();
        OcppSchemaValidatorOptions.Default.CustomSchemas.Should().BeEmpty();
        OcppSchemaValidatorOptions.Default.CustomValidators.Should().BeEmpty();
        OcppSchemaValidatorOptions.Default.ErrorCodeMapper.Should().Be((Func<OcppSchemaViolation, OcppDialect, OcppErrorCode>)OcppSchemaErrorCodes.Default);
        new OcppSchemaValidator().Options.Should().BeSameAs(OcppSchemaValidatorOptions.Default);
    }

    [Fact]
    public void Protocols_limits_validation_to_the_listed_versions()
    {
        var validator = new OcppSchemaValidator(OcppSchemaValidatorOptions.Default with { Protocols = ["ocpp2.0.1"] });

        validator.Validate("ocpp1.6", "Heartbeat", OcppPayloadKind.Response, "[]").Should().BeNull();
        validator.Validate("ocpp2.1", "Heartbeat", OcppPayloadKind.Response, "[]").Should().BeNull();
        validator.Validate("ocpp2.0.1", "Heartbeat", OcppPayloadKind.Response, "[]").Should().NotBeNull();
    }

    [Fact]
    public void Protocol_without_official_schemas_is_rejected_at_construction()
    {
        Action act = () => _ = new OcppSchemaValidator(OcppSchemaValidatorOptions.Default with { Protocols = ["ocpp1.6", "ocpp2.0"] });
        act.Should().Throw<ArgumentException>().WithMessage("*ocpp2.0*");
    }

    [Fact]
    public void Skipped_actions_are_not_validated_in_either_direction_for_that_protocol_only()
    {
        var calls = new RecordingValidator();
        var validator = new OcppSchemaValidator(OcppSchemaValidatorOptions.Default
            .WithSkippedActions("ocpp1.6", "MeterValues")
            .WithSkippedActions("ocpp1.6", "Heartbeat")
            .WithCustomValidator("ocpp1.6", calls));

        validator.Validate("ocpp1.6", "MeterValues", OcppPayloadKind.Request, "{\"connectorId\":\"one\"}").Should().BeNull();
        validator.Validate("ocpp1.6", "Heartbeat", OcppPayloadKind.Response, "{}").Should().BeNull();
        calls.Count.Should().Be(0, "skipped actions skip custom validators too");
        validator.HasSchema("ocpp1.6", "MeterValues", OcppPayloadKind.Request).Should().BeFalse();

        validator.Validate("ocpp2.0.1", "MeterValues", OcppPayloadKind.Request, "{}").Should().NotBeNull();
        validator.Validate("ocpp1.6", "StatusNotification", OcppPayloadKind.Request, "{}").Should().NotBeNull();
        validator.Options.SkippedActions["ocpp1.6"].Should().BeEquivalentTo(["MeterValues", "Heartbeat"]);
    }

    [Fact]
    public void Skipped_actions_can_be_given_as_a_dictionary()
    {
        var validator = new OcppSchemaValidator(OcppSchemaValidatorOptions.Default with
        {
            SkippedActions = new Dictionary<string, IReadOnlyCollection<string>> { ["ocpp2.1"] = ["Heartbeat"] },
        });

        validator.Validate("ocpp2.1", "Heartbeat", OcppPayloadKind.Response, "{}").Should().BeNull();
        validator.Validate("ocpp2.0.1", "Heartbeat", OcppPayloadKind.Response, "{}").Should().NotBeNull();
    }

    [Theory]
    [InlineData("{\"serial\":\"AB1234\",\"note\":\"hey\",\"level\":2}", null, null)]
    [InlineData("{\"serial\":\"ab1234\"}", "serial: Pattern", OcppErrorCode.PropertyConstraintViolation)]
    [InlineData("{\"serial\":\"AB1234\",\"note\":\"x\"}", "note: Length", OcppErrorCode.PropertyConstraintViolation)]
    [InlineData("{\"serial\":\"AB1234\",\"note\":\"toolong\"}", "note: Length", OcppErrorCode.PropertyConstraintViolation)]
    [InlineData("{\"serial\":\"AB1234\",\"level\":4}", "level: Range", OcppErrorCode.PropertyConstraintViolation)]
    [InlineData("{\"serial\":\"AB1234\",\"level\":\"4\"}", "level: Type", OcppErrorCode.TypeConstraintViolation)]
    [InlineData("{\"note\":\"hey\"}", "serial: Required", OcppErrorCode.OccurrenceConstraintViolation)]
    [InlineData("{\"serial\":\"AB1234\",\"x\":1}", "x: AdditionalProperty", OcppErrorCode.PropertyConstraintViolation)]
    public void Vendor_protocol_with_custom_schema(string json, string? error, OcppErrorCode? code)
    {
        var validator = new OcppSchemaValidator(OcppSchemaValidatorOptions.Default.WithCustomSchema("acme1.0", "Register", OcppPayloadKind.Request, VendorSchema));

        OcppValidationFailure? failure = validator.Validate("acme1.0", "Register", OcppPayloadKind.Request, json);

        if (error is null)
        {
            failure.Should().BeNull();
        }
        else
        {
            failure!.Errors.Should().Equal(error);
            failure.Code.Should().Be(code);
        }

        validator.Validate("acme1.0", "Register", OcppPayloadKind.Response, "[]").Should().BeNull("no response schema was given");
        validator.Validate("acme1.0", "Other", OcppPayloadKind.Request, "[]").Should().BeNull();
    }

    [Fact]
    public void Vendor_action_in_a_standard_protocol_and_override_of_an_official_schema()
    {
        var validator = new OcppSchemaValidator(OcppSchemaValidatorOptions.Default
            .WithCustomSchema("ocpp1.6", "AcmeRegister", OcppPayloadKind.Request, VendorSchema)
            .WithCustomSchema("ocpp1.6", "Heartbeat", OcppPayloadKind.Response, """{"type":"object","properties":{"currentTime":{"type":"string"}}}"""));

        validator.Validate("ocpp1.6", "AcmeRegister", OcppPayloadKind.Request, "{\"serial\":\"AB1234\"}").Should().BeNull();
        validator.Validate("ocpp1.6", "AcmeRegister", OcppPayloadKind.Request, "{}")!.Errors.Should().Equal("serial: Required");

        // The replacement is laxer than the official schema (no required, no format).
        validator.Validate("ocpp1.6", "Heartbeat", OcppPayloadKind.Response, "{}").Should().BeNull();
        validator.Validate("ocpp2.0.1", "Heartbeat", OcppPayloadKind.Response, "{}").Should().NotBeNull("other versions keep the official schema");
        validator.Preload().Should().Be(SchemaFiles.FileNames.Keys.Sum(p => SchemaFiles.Load(p).Count) - 1);
    }

    [Fact]
    public void Custom_schemas_are_compiled_at_construction()
    {
        var validator = new OcppSchemaValidator(OcppSchemaValidatorOptions.Default.WithCustomSchema("acme", "A", OcppPayloadKind.Request, VendorSchema));
        validator.SchemasBuilt.Should().Be(1);

        Action broken = () => _ = new OcppSchemaValidator(OcppSchemaValidatorOptions.Default.WithCustomSchema("acme", "A", OcppPayloadKind.Request, "{ not json"));
        broken.Should().Throw<ArgumentException>().WithMessage("*acme A Request*");

        Action twice = () => _ = new OcppSchemaValidator(OcppSchemaValidatorOptions.Default
            .WithCustomSchema("acme", "A", OcppPayloadKind.Request, VendorSchema)
            .WithCustomSchema("acme", "A", OcppPayloadKind.Request, VendorSchema));
        twice.Should().Throw<ArgumentException>().WithMessage("*Two custom schemas*");
    }

    [Fact]
    public void Custom_validator_runs_after_the_schema_accepted_the_payload()
    {
        var custom = new RecordingValidator { Result = new OcppValidationFailure(OcppErrorCode.GenericError, "business rule", ["x"]) };
        var validator = new OcppSchemaValidator(OcppSchemaValidatorOptions.Default.WithCustomValidator("ocpp2.0.1", custom));

        validator.Validate("ocpp2.0.1", "Heartbeat", OcppPayloadKind.Response, "{}")!.Code.Should().Be(OcppErrorCode.OccurrenceConstraintViolation);
        custom.Count.Should().Be(0, "the schema failed first");

        validator.Validate("ocpp2.0.1", "Heartbeat", OcppPayloadKind.Response, "{\"currentTime\":\"2024-01-01T00:00:00Z\"}")
            .Should().BeSameAs(custom.Result);
        custom.Count.Should().Be(1);
        custom.Last.Should().Be(("ocpp2.0.1", "Heartbeat", OcppPayloadKind.Response, "{\"currentTime\":\"2024-01-01T00:00:00Z\"}"));

        validator.Validate("ocpp2.0.1", "AcmeAction", OcppPayloadKind.Request, "[]").Should().BeSameAs(custom.Result, "actions without a schema still reach the custom validator");
        validator.Validate("ocpp1.6", "Heartbeat", OcppPayloadKind.Request, "{}").Should().BeNull();
        custom.Count.Should().Be(2);
    }

    [Fact]
    public void Custom_validator_alone_covers_a_vendor_protocol()
    {
        var custom = new RecordingValidator();
        var validator = new OcppSchemaValidator(new OcppSchemaValidatorOptions { Protocols = [] }.WithCustomValidator("acme", custom));

        validator.Validate("acme", "Anything", OcppPayloadKind.Request, "{}").Should().BeNull();
        validator.Validate("ocpp1.6", "Heartbeat", OcppPayloadKind.Response, "[]").Should().BeNull("no official schemas were requested");
        custom.Count.Should().Be(1);
    }

    [Fact]
    public void Error_code_mapper_can_be_overridden_per_dialect()
    {
        var seen = new List<(OcppSchemaViolation, OcppDialect)>();
        OcppErrorCode Mapper(OcppSchemaViolation violation, OcppDialect dialect)
        {
            lock (seen)
            {
                seen.Add((violation, dialect));
            }

            // A stricter CSMS that reports everything in 1.6 as FormationViolation, and otherwise keeps the default.
            return dialect == OcppDialect.Ocpp16 ? OcppErrorCode.FormatViolation : OcppSchemaErrorCodes.Default(violation, dialect);
        }

        var validator = new OcppSchemaValidator((OcppSchemaValidatorOptions.Default with { ErrorCodeMapper = Mapper })
            .WithCustomSchema("acme", "Register", OcppPayloadKind.Request, VendorSchema));

        validator.Validate("ocpp1.6", "Heartbeat", OcppPayloadKind.Response, "{}")!.Code.Should().Be(OcppErrorCode.FormatViolation);
        validator.Validate("ocpp2.0.1", "Heartbeat", OcppPayloadKind.Response, "{}")!.Code.Should().Be(OcppErrorCode.OccurrenceConstraintViolation);
        validator.Validate("ocpp2.1", "Heartbeat", OcppPayloadKind.Response, "{\"currentTime\":1}")!.Code.Should().Be(OcppErrorCode.TypeConstraintViolation);
        validator.Validate("acme", "Register", OcppPayloadKind.Request, "{")!.Code.Should().Be(OcppErrorCode.FormatViolation);

        seen.Should().Equal(
            (OcppSchemaViolation.Required, OcppDialect.Ocpp16),
            (OcppSchemaViolation.Required, OcppDialect.Ocpp201),
            (OcppSchemaViolation.Type, OcppDialect.Ocpp21),
            (OcppSchemaViolation.InvalidJson, OcppDialect.Ocpp201)); // vendor protocols use the 2.0.1 rules
    }

    [Fact]
    public void Mapper_can_send_a_violation_kind_to_another_code()
    {
        var validator = new OcppSchemaValidator(OcppSchemaValidatorOptions.Default with
        {
            ErrorCodeMapper = (v, d) => v == OcppSchemaViolation.AdditionalProperty ? OcppErrorCode.FormatViolation : OcppSchemaErrorCodes.Default(v, d),
        });

        validator.Validate("ocpp2.0.1", "Heartbeat", OcppPayloadKind.Request, "{\"x\":1}")!.Code.Should().Be(OcppErrorCode.FormatViolation);
        validator.Validate("ocpp2.0.1", "Heartbeat", OcppPayloadKind.Response, "{}")!.Code.Should().Be(OcppErrorCode.OccurrenceConstraintViolation);
    }

    [Theory]
    [InlineData(OcppSchemaViolation.InvalidJson, OcppErrorCode.FormatViolation)]
    [InlineData(OcppSchemaViolation.NotAnObject, OcppErrorCode.FormatViolation)]
    [InlineData(OcppSchemaViolation.Type, OcppErrorCode.TypeConstraintViolation)]
    [InlineData(OcppSchemaViolation.Required, OcppErrorCode.OccurrenceConstraintViolation)]
    [InlineData(OcppSchemaViolation.ArrayLength, OcppErrorCode.OccurrenceConstraintViolation)]
    [InlineData(OcppSchemaViolation.Enum, OcppErrorCode.PropertyConstraintViolation)]
    [InlineData(OcppSchemaViolation.Pattern, OcppErrorCode.PropertyConstraintViolation)]
    [InlineData(OcppSchemaViolation.Length, OcppErrorCode.PropertyConstraintViolation)]
    [InlineData(OcppSchemaViolation.Range, OcppErrorCode.PropertyConstraintViolation)]
    [InlineData(OcppSchemaViolation.MultipleOf, OcppErrorCode.PropertyConstraintViolation)]
    [InlineData(OcppSchemaViolation.Format, OcppErrorCode.PropertyConstraintViolation)]
    [InlineData(OcppSchemaViolation.AdditionalProperty, OcppErrorCode.PropertyConstraintViolation)]
    [InlineData(OcppSchemaViolation.Other, OcppErrorCode.PropertyConstraintViolation)]
    public void Default_mapping_is_the_documented_table_for_every_dialect(OcppSchemaViolation violation, OcppErrorCode code)
    {
        foreach (OcppDialect dialect in Enum.GetValues<OcppDialect>())
        {
            OcppSchemaErrorCodes.Default(violation, dialect).Should().Be(code);
        }
    }

    [Fact]
    public void Every_violation_kind_is_in_the_table() =>
        Enum.GetValues<OcppSchemaViolation>().Should().HaveCount(13, "a new kind needs a row in the README table and in Default_mapping_is_the_documented_table_for_every_dialect");

    [Fact]
    public void Description_is_cut_to_255_characters()
    {
        string name = new('p', 300);
        string schema = $$"""{"type":"object","required":["{{name}}"]}""";
        var validator = new OcppSchemaValidator(new OcppSchemaValidatorOptions { Protocols = [] }.WithCustomSchema("acme", "A", OcppPayloadKind.Request, schema));

        OcppValidationFailure failure = validator.Validate("acme", "A", OcppPayloadKind.Request, "{}")!;

        failure.Description.Length.Should().Be(255);
        failure.Description.Should().EndWith("...");
        failure.Errors.Should().Equal($"{name}: Required");
    }

    [Fact]
    public void Options_are_immutable_records()
    {
        OcppSchemaValidatorOptions a = OcppSchemaValidatorOptions.Default.WithSkippedActions("ocpp1.6", "Heartbeat");

        OcppSchemaValidatorOptions.Default.SkippedActions.Should().BeEmpty("the helpers return copies");
        a.Should().NotBeSameAs(OcppSchemaValidatorOptions.Default);
        (a with { }).Should().Be(a);
    }

    private sealed class RecordingValidator : IOcppPayloadValidator
    {
        private int _count;

        public OcppValidationFailure? Result { get; init; }

        public int Count => _count;

        public (string, string, OcppPayloadKind, string)? Last { get; private set; }

        public OcppValidationFailure? Validate(string protocol, string action, OcppPayloadKind kind, ReadOnlySpan<byte> payload)
        {
            Interlocked.Increment(ref _count);
            Last = (protocol, action, kind, System.Text.Encoding.UTF8.GetString(payload));
            return Result;
        }
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Ocpp.Rpc.Validation.Internal;
using Xunit.Abstractions;

namespace Ocpp.Rpc.Validation.Tests;

/// <summary>
/// The fast accept path is sound (whatever it accepts, the full validation accepts) and is actually used: every official
/// schema compiles to it and every schema-derived valid sample is accepted by it, without allocating.
/// </summary>
public class FastPathTests(ITestOutputHelper output)
{
    /// <summary>The full validation only: the reference the fast path is compared with.</summary>
    private static readonly OcppSchemaValidator Reference = new() { FastPathEnabled = false };

    public static IEnumerable<object[]> AllSchemas() => SchemaFiles.AllSchemas();

    public static IEnumerable<object[]> Protocols() => SchemaFiles.FileNames.Keys.Select(p => new object[] { p });

    [Theory]
    [MemberData(nameof(AllSchemas))]
    public void Every_official_schema_compiles_and_accepts_its_derived_sample(string protocol, string action, OcppPayloadKind kind)
    {
        FastSchemaNode? node = Shared.Validator.GetFastSchema(protocol, action, kind);
        node.Should().NotBeNull();

        JsonNode sample = SchemaDrivenTests.Generator(protocol, action, kind).Generate();
        FastSchemaValidator.TryAccept(node!, Encoding.UTF8.GetBytes(sample.ToJsonString())).Should().BeTrue(sample.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public void Fast_accept_implies_the_full_validation_accepts_for_mutations_and_fuzz(string protocol)
    {
        int total = 0, accepted = 0, missed = 0;
        var unsound = new List<string>();
        var missedExamples = new List<string>();
        foreach ((string action, OcppPayloadKind kind, List<string> payloads) in PayloadCorpus.For(protocol))
        {
            FastSchemaNode node = Shared.Validator.GetFastSchema(protocol, action, kind)!;
            foreach (string text in payloads)
            {
                byte[] bytes = Encoding.UTF8.GetBytes(text);
                bool fast = FastSchemaValidator.TryAccept(node, bytes);
                OcppValidationFailure? reference = Reference.Validate(protocol, action, kind, bytes);
                total++;
                accepted += fast ? 1 : 0;
                if (fast && reference is not null)
                {
                    unsound.Add($"{action} {kind} {text} -> {string.Join(", ", reference.Errors)}");
                }
                else if (!fast && reference is null && missed++ < 15)
                {
                    missedExamples.Add($"{action} {kind} {text}");
                }

                // And the validator as shipped gives exactly what the full validation alone gives.
                OcppValidationFailure? shipped = Shared.Validator.Validate(protocol, action, kind, bytes);
                (shipped?.Errors).Should().BeEquivalentTo(reference?.Errors, o => o.WithStrictOrdering(), text);
                shipped?.Description.Should().Be(reference!.Description);
                shipped?.Code.Should().Be(reference!.Code);
            }
        }

        output.WriteLine($"{total} payloads, {accepted} accepted by the fast path, {missed} valid ones left to the full validation, e.g.:");
        missedExamples.ForEach(output.WriteLine);
        unsound.Should().BeEmpty();
        accepted.Should().BeGreaterThan(total / 10, "the fuzz produces valid payloads too");
    }

    [Theory]
    [InlineData("{\"a\":1}", true)]
    [InlineData("{\"a\":\"x\"}", true)]
    [InlineData("{\"a\":true}", false)]
    [InlineData("{}", false)]
    public void A_custom_schema_with_a_keyword_the_fast_path_lacks_is_validated_fully(string json, bool valid)
    {
        const string Schema = """{"type":"object","properties":{"a":{"anyOf":[{"type":"integer"},{"type":"string"}]}},"required":["a"]}""";
        var validator = new OcppSchemaValidator(OcppSchemaValidatorOptions.Default.WithCustomSchema("vendor1", "Act", OcppPayloadKind.Request, Schema));

        validator.GetFastSchema("vendor1", "Act", OcppPayloadKind.Request).Should().BeNull();
        (validator.Validate("vendor1", "Act", OcppPayloadKind.Request, json) is null).Should().Be(valid);
    }

    [Fact]
    public void A_supported_custom_schema_uses_the_fast_path()
    {
        const string Schema = """{"type":"object","properties":{"a":{"type":["integer","null"],"minimum":1}},"additionalProperties":false}""";
        var validator = new OcppSchemaValidator(OcppSchemaValidatorOptions.Default.WithCustomSchema("vendor1", "Act", OcppPayloadKind.Request, Schema));

        FastSchemaNode node = validator.GetFastSchema("vendor1", "Act", OcppPayloadKind.Request)!;
        node.Should().NotBeNull();
        FastSchemaValidator.TryAccept(node, "{\"a\":null}"u8).Should().BeTrue();
        FastSchemaValidator.TryAccept(node, "{\"a\":2}"u8).Should().BeTrue();
        FastSchemaValidator.TryAccept(node, "{\"a\":0}"u8).Should().BeFalse();
        validator.Validate("vendor1", "Act", OcppPayloadKind.Request, "{\"a\":0}").Should().NotBeNull();
    }

    private static readonly string[] CustomSchemas =
    [
        """{"type":"object","properties":{"a":{"type":["string","null"],"maxLength":3,"minLength":2}},"required":["a"]}""",
        """{"type":"object","properties":{"a":{"type":"integer","minimum":1,"maximum":10,"exclusiveMinimum":true,"exclusiveMaximum":true}}}""",
        """{"type":"object","properties":{"a":{"type":"number","exclusiveMinimum":1,"exclusiveMaximum":10}}}""",
        """{"type":"object","properties":{"a":{"type":"number","multipleOf":0.5,"minimum":-3}}}""",
        """{"type":"object","properties":{"a":{"type":"integer","multipleOf":3}}}""",
        """{"type":"object","properties":{"a":{"enum":["x","é","1"]},"b":{},"c":{"type":"array","minItems":1,"maxItems":2}},"additionalProperties":false}""",
        """{"type":"object","properties":{"a":{"type":"string","format":"uri"},"b":{"type":"string","format":"email"},"c":{"type":"string","format":"date"}}}""",
        """{"type":"object","properties":{"n":{"$ref":"#/definitions/node"}},"definitions":{"node":{"type":"object","properties":{"v":{"type":"integer"},"next":{"$ref":"#/definitions/node"}},"required":["v"],"additionalProperties":false}}}""",
        """{"type":"object","properties":{"a":{"type":["integer","string","boolean","object","array"]}},"required":["a"]}""",
        """{"type":"object","properties":{"a":{"type":"string","minLength":1}},"required":["a"]}""",
        """{"type":"object","properties":{"a":{"type":"string","const":"x"}}}""",
        """{"type":"object","properties":{"a":{"type":"string","pattern":"^x$"}}}""",
    ];

    private static readonly string[] CustomPayloads =
    [
        "{}", "null", "{\"a\":null}", "{\"a\":\"xy\"}", "{\"a\":\"xyz\"}", "{\"a\":\"xyzw\"}", "{\"a\":\"é\"}", "{\"a\":\"éé\"}", "{\"a\":\"\\u00e9\\u00e9\"}",
        "{\"a\":\"😀\"}", "{\"a\":\"e\\u0301\"}", "{\"a\":\"\\r\\n\"}", "{\"a\":\"x\"}", "{\"a\":\"1\"}", "{\"a\":1}", "{\"a\":1.0}", "{\"a\":2}", "{\"a\":3}",
        "{\"a\":9}", "{\"a\":10}", "{\"a\":9.999999999999}", "{\"a\":1.0000000001}", "{\"a\":5.5}", "{\"a\":-3}", "{\"a\":-3.5}", "{\"a\":1.5}",
        "{\"a\":0.5}", "{\"a\":6}", "{\"a\":1e1}", "{\"a\":true}", "{\"a\":[]}", "{\"a\":{}}", "{\"b\":null}", "{\"b\":[1,{\"x\":\"\\u00e9\"}]}",
        "{\"c\":[]}", "{\"c\":[1]}", "{\"c\":[1,2,3]}", "{\"a\":\"x\",\"z\":1}", "{\"\\u0061\":\"x\"}", "{\"a\":\"https://x.org/a\"}", "{\"a\":\"no uri\"}",
        "{\"b\":\"a@b.org\"}", "{\"b\":\"nope\"}", "{\"c\":\"2024-01-01\"}", "{\"c\":\"2024-13-01\"}", "{\"n\":{\"v\":1,\"next\":{\"v\":2}}}",
        "{\"n\":{\"v\":1,\"next\":{\"w\":2}}}", "{\"n\":{\"v\":1,\"next\":null}}", "{\"a\":\"\"}", "{\"a\":\"x\",\"a\":\"y\"}",
    ];

    [Fact]
    public void Fast_accept_implies_the_full_validation_accepts_for_custom_schemas()
    {
        var unsound = new List<string>();
        int compiled = 0, accepted = 0;
        foreach (string schema in CustomSchemas)
        {
            var options = OcppSchemaValidatorOptions.Default.WithCustomSchema("vendor1", "Act", OcppPayloadKind.Request, schema);
            var validator = new OcppSchemaValidator(options);
            var reference = new OcppSchemaValidator(options) { FastPathEnabled = false };
            FastSchemaNode? node = validator.GetFastSchema("vendor1", "Act", OcppPayloadKind.Request);
            compiled += node is null ? 0 : 1;
            foreach (string payload in CustomPayloads)
            {
                bool fast = node is not null && FastSchemaValidator.TryAccept(node, Encoding.UTF8.GetBytes(payload));
                accepted += fast ? 1 : 0;
                OcppValidationFailure? expected = reference.Validate("vendor1", "Act", OcppPayloadKind.Request, payload);
                if (fast && expected is not null)
                {
                    unsound.Add($"{schema} {payload} -> {string.Join(", ", expected.Errors)}");
                }

                (validator.Validate("vendor1", "Act", OcppPayloadKind.Request, payload)?.Errors).Should().BeEquivalentTo(expected?.Errors);
            }
        }

        output.WriteLine($"{compiled} of {CustomSchemas.Length} schemas compiled, {accepted} payloads accepted by the fast path");
        unsound.Should().BeEmpty();
        compiled.Should().Be(CustomSchemas.Length - 2, "const and pattern are not compiled");
    }

    [Theory]
    [InlineData("{\"customData\":{\"vendorId\":\"x\",\"extra\":\"\xC3\x28\"}}")]
    [InlineData("{\"customData\":{\"vendorId\":\"x\",\"ex\xFFtra\":1}}")]
    [InlineData("{\"customData\":{\"vendorId\":\"x\",\"extra\":[{\"\xED\xA0\x80\":2}]}}")]
    [InlineData("{\"customData\":{\"vendorId\":\"\xF0\x9F\x98\"}}")]
    [InlineData("{\"customData\":{\"vendorId\":\"x\",\"extra\":\"\\uD800\"}}")]
    [InlineData("{\"customData\":{\"vendorId\":\"\\uDC00x\"}}")]
    public void Invalid_UTF8_or_UTF16_anywhere_is_left_to_the_full_path(string latin1)
    {
        // Each char of the test string is one byte of the payload, so invalid UTF-8 can be written down.
        byte[] payload = Encoding.Latin1.GetBytes(latin1);
        FastSchemaNode node = Shared.Validator.GetFastSchema("ocpp2.0.1", "Heartbeat", OcppPayloadKind.Request)!;

        FastSchemaValidator.TryAccept(node, payload).Should().BeFalse();
        Shared.Validator.Validate("ocpp2.0.1", "Heartbeat", OcppPayloadKind.Request, payload)!.Code.Should().Be(OcppErrorCode.FormatViolation);
    }

    [Theory]
    [InlineData("ocpp1.6", "Heartbeat", OcppPayloadKind.Response, """{"currentTime":"2026-11-23T10:00:00.000Z"}""")]
    [InlineData("ocpp1.6", "Heartbeat", OcppPayloadKind.Request, "{}")]
    [InlineData("ocpp1.6", "BootNotification", OcppPayloadKind.Request,
        """{"chargePointVendor":"Acme","chargePointModel":"Wallbox X1","chargePointSerialNumber":"WX1-000123","firmwareVersion":"1.4.2","iccid":"8931440000000000001","meterType":"ACME M3","meterSerialNumber":"M3-99887"}""")]
    [InlineData("ocpp2.0.1", "BootNotification", OcppPayloadKind.Request,
        """{"reason":"PowerUp","chargingStation":{"model":"Wallbox X1","vendorName":"Acme","serialNumber":"WX1-000123","firmwareVersion":"1.4.2","modem":{"iccid":"8931440000000000001","imsi":"262019876543210"}}}""")]
    [InlineData("ocpp2.0.1", "TransactionEvent", OcppPayloadKind.Request,
        """{"eventType":"Updated","timestamp":"2024-05-01T12:00:00.000Z","triggerReason":"MeterValuePeriodic","seqNo":12,"transactionInfo":{"transactionId":"0f8e5a2c","chargingState":"Charging"},"evse":{"id":1,"connectorId":1},"meterValue":[{"timestamp":"2024-05-01T12:00:00.000Z","sampledValue":[{"value":1000.5,"context":"Sample.Periodic","measurand":"Voltage","phase":"L1-N","location":"Outlet","unitOfMeasure":{"unit":"V","multiplier":0}}]}]}""")]
    public void A_valid_payload_allocates_nothing(string protocol, string action, OcppPayloadKind kind, string json)
    {
        var validator = new OcppSchemaValidator();
        byte[] payload = Encoding.UTF8.GetBytes(json);
        FastSchemaValidator.TryAccept(validator.GetFastSchema(protocol, action, kind)!, payload).Should().BeTrue();
        for (int i = 0; i < 100; i++)
        {
            validator.Validate(protocol, action, kind, payload).Should().BeNull();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            _ = validator.Validate(protocol, action, kind, payload);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }
}

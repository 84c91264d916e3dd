using System.Text;

namespace Ocpp.Rpc.Validation.Tests;

/// <summary>
/// What a vendor's own schema can use: every draft-07 keyword strict mode implements behaves as JSON Schema says, and
/// one it does not implement is refused at construction with the schema and the JSON pointer of the keyword.
/// </summary>
public class CustomSchemaKeywordTests
{
    private static string[]? Errors(string schema, string payload) =>
        new OcppSchemaValidator(OcppSchemaValidatorOptions.Default.WithCustomSchema("acme", "Act", OcppPayloadKind.Request, schema))
            .Validate("acme", "Act", OcppPayloadKind.Request, payload)?.Errors.ToArray();

    [Theory]
    [InlineData("""{"properties":{"a":{"const":"x"}}}""", """{"a":"x"}""", null)]
    [InlineData("""{"properties":{"a":{"const":"x"}}}""", """{"a":"y"}""", "a: Enum")]
    [InlineData("""{"properties":{"a":{"const":{"k":[1,2]}}}}""", """{"a":{"k":[1,2.0]}}""", null)]
    [InlineData("""{"properties":{"a":{"enum":[1,"1",true]}}}""", """{"a":1.0}""", null)]
    [InlineData("""{"properties":{"a":{"enum":["1"]}}}""", """{"a":1}""", "a: Enum")]
    [InlineData("""{"properties":{"a":{"anyOf":[{"type":"integer"},{"type":"string"}]}}}""", """{"a":true}""", "a: Other")]
    [InlineData("""{"properties":{"a":{"oneOf":[{"type":"integer"},{"type":"number"}]}}}""", """{"a":1}""", "a: Other")]
    [InlineData("""{"properties":{"a":{"oneOf":[{"type":"integer"},{"type":"number"}]}}}""", """{"a":1.5}""", null)]
    [InlineData("""{"properties":{"a":{"allOf":[{"maxLength":3},{"pattern":"^x"}]}}}""", """{"a":"yyyy"}""", "a: Length|a: Pattern")]
    [InlineData("""{"properties":{"a":{"not":{"type":"string"}}}}""", """{"a":"s"}""", "a: Other")]
    [InlineData("""{"properties":{"a":{"uniqueItems":true}}}""", """{"a":[1,{"x":1,"y":2},{"y":2,"x":1}]}""", "a: Other")]
    [InlineData("""{"properties":{"a":{"uniqueItems":true}}}""", """{"a":[1,"1",[1],{"x":1}]}""", null)]
    [InlineData("""{"properties":{"a":{"items":[{"type":"string"},{"type":"integer"}],"additionalItems":false}}}""", """{"a":["s",1,2]}""", "a[2]: ArrayLength")]
    [InlineData("""{"properties":{"a":{"items":[{"type":"string"}],"additionalItems":{"type":"boolean"}}}}""", """{"a":["s",true,3]}""", "a[2]: Type")]
    [InlineData("""{"patternProperties":{"^x-":{"type":"integer"}},"additionalProperties":false}""", """{"x-a":1,"x-b":"s","y":1}""", "x-b: Type|y: AdditionalProperty")]
    [InlineData("""{"additionalProperties":{"type":"string"}}""", """{"a":"s","b":2}""", "b: Type")]
    [InlineData("""{"minProperties":2,"maxProperties":3}""", """{"a":1}""", "$: Other")]
    [InlineData("""{"properties":{"a":{"maxItems":0}}}""", """{"a":[1]}""", "a: ArrayLength")]
    [InlineData("""{"properties":{"a":{"maxLength":1}}}""", """{"a":"😀"}""", null)]
    [InlineData("""{"properties":{"a":{"minLength":2}}}""", """{"a":"😀"}""", "a: Length")]
    [InlineData("""{"properties":{"a":{"multipleOf":0.1}}}""", """{"a":0.30000000000000004}""", null)]
    [InlineData("""{"properties":{"a":{"multipleOf":0.1}}}""", """{"a":16.3}""", null)]
    [InlineData("""{"properties":{"a":{"multipleOf":0.1}}}""", """{"a":0.35}""", "a: MultipleOf")]
    [InlineData("""{"properties":{"a":{"minimum":5,"exclusiveMinimum":true}}}""", """{"a":5}""", "a: Range")]
    [InlineData("""{"properties":{"a":{"exclusiveMaximum":5}}}""", """{"a":4.999}""", null)]
    [InlineData("""{"properties":{"a":{"format":"ipv4"},"b":{"format":"uuid"},"c":{"format":"hostname"},"d":{"format":"x-unknown"}}}""",
        """{"a":"10.0.0.1","b":"0f8e5a2c-1b2d-4e5f-8a9b-0c1d2e3f4a5b","c":"csms.example.com","d":"anything"}""", null)]
    [InlineData("""{"properties":{"a":{"format":"ipv4"},"b":{"format":"uuid"},"c":{"format":"hostname"}}}""",
        """{"a":"10.0.0","b":"0f8e5a2c","c":"-bad-"}""", "a: Format|b: Format|c: Format")]
    [InlineData("""{"properties":{"a":{"$ref":"#/$defs/t"}},"$defs":{"t":{"type":"integer"}}}""", """{"a":"s"}""", "a: Type")]
    [InlineData("""{"properties":{"a":false}}""", """{"a":1}""", "a: Other")]
    [InlineData("""{"properties":{"a":{"type":["integer","string"],"maxLength":1}}}""", """{"a":"ss"}""", "a: Type")]
    [InlineData("""{"properties":{"a":{"type":"object","required":["b"]}}}""", """{"a":"s"}""", "a: Type")]
    public void Keyword_behaves_as_JSON_Schema_says(string schema, string payload, string? errors) =>
        Errors(schema, payload).Should().BeEquivalentTo(errors?.Split('|'), o => o.WithStrictOrdering(), payload);

    [Theory]
    [InlineData("""{"properties":{"a":{"if":{"type":"string"},"then":{"maxLength":2}}}}""", "#/properties/a/if", "'if' is not supported")]
    [InlineData("""{"dependencies":{"a":["b"]}}""", "#/dependencies", "not supported")]
    [InlineData("""{"properties":{"a":{"$ref":"other.json#/x"}}}""", "#/properties/a/$ref", "only local references")]
    [InlineData("""{"properties":{"a":{"$ref":"#/definitions/missing"}}}""", "#/properties/a/$ref", "does not resolve")]
    [InlineData("""{"properties":{"a":{"type":"strin"}}}""", "#/properties/a/type", "unknown type 'strin'")]
    [InlineData("""{"properties":{"a":{"maxLength":-1}}}""", "#/properties/a/maxLength", "non-negative integer")]
    [InlineData("""{"properties":{"a":{"pattern":"("}}}""", "#/properties/a/pattern", "not a valid regular expression")]
    [InlineData("""{"definitions":{"x":{"$ref":"#/definitions/y"},"y":{"$ref":"#/definitions/x"}},"properties":{"a":{"$ref":"#/definitions/x"}}}""",
        "#/definitions/x", "never reaches a schema")]
    [InlineData("[1]", "#", "must be an object or a boolean")]
    public void Unsupported_or_broken_schema_is_refused_with_the_keyword_s_pointer(string schema, string pointer, string reason)
    {
        Action build = () => Errors(schema, "{}");
        build.Should().Throw<ArgumentException>().WithMessage($"The schema for acme Act Request cannot be used: {pointer}: *{reason}*");
    }

    [Fact]
    public void Annotations_and_unknown_keywords_are_ignored()
    {
        const string Schema = """{"$schema":"http://json-schema.org/draft-07/schema","$id":"urn:x","javaType":"X","comment":"c","title":"t","x-vendor":1,"properties":{"a":{"description":"d","default":1,"examples":[2],"type":"integer"}}}""";
        Errors(Schema, """{"a":1}""").Should().BeNull();
        Errors(Schema, """{"a":"1"}""").Should().Equal("a: Type");
    }

    [Fact]
    public void Recursive_definitions_validate_to_any_depth_the_payload_allows()
    {
        const string Schema = """{"properties":{"n":{"$ref":"#/definitions/node"}},"definitions":{"node":{"type":"object","properties":{"next":{"$ref":"#/definitions/node"}},"additionalProperties":false}}}""";
        string deep = string.Concat(Enumerable.Repeat("{\"next\":", 30)) + "{\"x\":1}" + new string('}', 30);
        Errors(Schema, "{\"n\":" + deep + "}").Should().Equal("n" + string.Concat(Enumerable.Repeat(".next", 30)) + ".x: AdditionalProperty");
    }

    [Fact]
    public void At_most_MaxErrors_violations_are_listed()
    {
        string payload = "{\"a\":[" + string.Join(",", Enumerable.Repeat("\"s\"", 5_000)) + "]}";
        string[] errors = Errors("""{"properties":{"a":{"items":{"type":"integer"}}}}""", payload)!;
        errors.Should().HaveCount(OcppSchemaValidator.MaxErrors);
        errors[0].Should().Be("a[0]: Type");
    }

    [Fact]
    public void A_catastrophic_vendor_pattern_cannot_stall_validation()
    {
        string payload = "{\"a\":\"" + new string('a', 40) + "!\"}";
        var started = System.Diagnostics.Stopwatch.StartNew();
        Errors("""{"properties":{"a":{"pattern":"^(a+)+$"}}}""", payload).Should().Equal("a: Pattern");
        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the match is bounded by its timeout, not by the pattern");
    }

    [Fact]
    public void Payload_text_never_appears_in_the_description()
    {
        OcppValidationFailure failure = new OcppSchemaValidator(OcppSchemaValidatorOptions.Default
                .WithCustomSchema("acme", "Act", OcppPayloadKind.Request, """{"properties":{"a":{"enum":["x"]},"b":{"maxLength":1}}}"""))
            .Validate("acme", "Act", OcppPayloadKind.Request, Encoding.UTF8.GetBytes("""{"a":"SECRET","b":"SECRET2"}"""))!;
        failure.Description.Should().NotContain("SECRET");
        failure.Errors.Should().Equal("a: Enum", "b: Length");
    }
}

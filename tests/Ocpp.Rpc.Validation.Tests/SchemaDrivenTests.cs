using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Ocpp.Rpc.Validation.Tests;

/// <summary>Samples derived from every official schema pass; single mutations of them fail with the mapped code.</summary>
public class SchemaDrivenTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> AllSchemas() => SchemaFiles.AllSchemas();

    [Theory]
    [MemberData(nameof(AllSchemas))]
    public void Schema_derived_sample_is_valid(string protocol, string action, OcppPayloadKind kind)
    {
        JsonNode sample = Generator(protocol, action, kind).Generate();

        Shared.Validator.HasSchema(protocol, action, kind).Should().BeTrue();
        Shared.Validator.Validate(protocol, action, kind, sample).Should().BeNull(sample.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(AllSchemas))]
    public void Not_an_object_and_invalid_json_are_format_violations(string protocol, string action, OcppPayloadKind kind)
    {
        Shared.Validator.Validate(protocol, action, kind, "[]")!.Code.Should().Be(OcppErrorCode.FormatViolation);
        Shared.Validator.Validate(protocol, action, kind, "{")!.Code.Should().Be(OcppErrorCode.FormatViolation);
    }

    public static TheoryData<string, OcppSchemaViolation> Mutations()
    {
        var data = new TheoryData<string, OcppSchemaViolation>();
        foreach (string protocol in SchemaFiles.FileNames.Keys)
        {
            foreach (OcppSchemaViolation violation in new[]
            {
                OcppSchemaViolation.Required, OcppSchemaViolation.Type, OcppSchemaViolation.AdditionalProperty,
                OcppSchemaViolation.Enum, OcppSchemaViolation.Length, OcppSchemaViolation.Range,
                OcppSchemaViolation.MultipleOf, OcppSchemaViolation.Format, OcppSchemaViolation.ArrayLength,
            })
            {
                data.Add(protocol, violation);
            }
        }

        return data;
    }

    /// <summary>The documented default table, written out independently of the implementation.</summary>
    private static OcppErrorCode ExpectedCode(OcppSchemaViolation violation) => violation switch
    {
        OcppSchemaViolation.Type => OcppErrorCode.TypeConstraintViolation,
        OcppSchemaViolation.Required => OcppErrorCode.OccurrenceConstraintViolation,
        OcppSchemaViolation.ArrayLength => OcppErrorCode.OccurrenceConstraintViolation,
        OcppSchemaViolation.InvalidJson => OcppErrorCode.FormatViolation,
        OcppSchemaViolation.NotAnObject => OcppErrorCode.FormatViolation,
        _ => OcppErrorCode.PropertyConstraintViolation,
    };

    // Constraints the official files do not use.
    private static readonly HashSet<(string, OcppSchemaViolation)> Absent =
    [
        (OcppProtocols.Ocpp16, OcppSchemaViolation.Range),
        (OcppProtocols.Ocpp201, OcppSchemaViolation.MultipleOf),
        (OcppProtocols.Ocpp21, OcppSchemaViolation.MultipleOf),
    ];

    [Theory]
    [MemberData(nameof(Mutations))]
    public void Single_mutation_fails_with_the_mapped_code_in_every_action(string protocol, OcppSchemaViolation violation)
    {
        var cases = new List<(string Action, OcppPayloadKind Kind, JsonNode Payload, string Path)>();
        foreach ((string action, OcppPayloadKind kind) in SchemaFiles.Load(protocol).Keys)
        {
            SampleGenerator generator = Generator(protocol, action, kind);
            JsonNode sample = generator.Generate();
            foreach ((JsonNode payload, string path) in MutationsOf(generator, sample, violation))
            {
                cases.Add((action, kind, payload, path));
            }
        }

        if (Absent.Contains((protocol, violation)))
        {
            cases.Should().BeEmpty();
            return;
        }

        cases.Should().NotBeEmpty();
        output.WriteLine($"{cases.Count} mutations in {cases.Select(c => (c.Action, c.Kind)).Distinct().Count()} schemas");
        var mismatches = new List<string>();
        foreach ((string action, OcppPayloadKind kind, JsonNode payload, string path) in cases)
        {
            OcppValidationFailure? failure = Shared.Validator.Validate(protocol, action, kind, payload);
            if (failure is null
                || failure.Code != ExpectedCode(violation)
                || failure.Errors.Count == 0
                || failure.Errors[0] != $"{path}: {violation}"
                || !failure.Description.StartsWith(path + ": ", StringComparison.Ordinal))
            {
                mismatches.Add($"{action} {kind} {payload.ToJsonString()} -> {(failure is null ? "valid" : $"{failure.Code} '{failure.Description}' [{string.Join(", ", failure.Errors)}]")}");
            }
        }

        mismatches.Should().BeEmpty($"{cases.Count} mutations of {protocol} for {violation} were tried");
    }

    internal static IEnumerable<(JsonNode Payload, string Path)> MutationsOf(SampleGenerator generator, JsonNode sample, OcppSchemaViolation violation)
    {
        if (violation == OcppSchemaViolation.AdditionalProperty && generator.Root["additionalProperties"] is JsonValue rootAp && !(bool)rootAp!)
        {
            JsonNode copy = sample.DeepClone();
            copy["zzUnexpected"] = 1;
            yield return (copy, "zzUnexpected");
        }

        foreach (Site site in generator.Sites())
        {
            JsonObject s = site.Schema;
            string? type = SampleGenerator.TypeOf(s);
            switch (violation)
            {
                case OcppSchemaViolation.Required when site.IsRequired:
                    yield return (site.Mutate(sample, (o, n) => o.Remove(n)), site.Path);
                    break;

                case OcppSchemaViolation.Type when type is not null:
                    yield return (site.Mutate(sample, (o, n) => o[n] = type == "string" ? JsonValue.Create(12345) : JsonValue.Create("x")), site.Path);
                    break;

                case OcppSchemaViolation.AdditionalProperty when type == "object" && s["additionalProperties"] is JsonValue ap && !(bool)ap!:
                    yield return (site.Mutate(sample, (o, n) => (o[n] ??= site.Generator.Generate(s)).AsObject()["zzUnexpected"] = 1), site.Path + ".zzUnexpected");
                    break;

                case OcppSchemaViolation.Enum when s["enum"] is not null:
                    yield return (site.Mutate(sample, (o, n) => o[n] = "NotAnAllowedValue"), site.Path);
                    break;

                case OcppSchemaViolation.Length when s["maxLength"] is JsonNode max && s["enum"] is null && s["format"] is null:
                    yield return (site.Mutate(sample, (o, n) => o[n] = new string('a', (int)max + 1)), site.Path);
                    break;

                case OcppSchemaViolation.Range when s["minimum"] is JsonNode min:
                    yield return (site.Mutate(sample, (o, n) => o[n] = type == "integer" ? JsonValue.Create((long)min - 1) : JsonValue.Create((double)min - 1.5)), site.Path);
                    break;

                case OcppSchemaViolation.Range when s["maximum"] is JsonNode max:
                    yield return (site.Mutate(sample, (o, n) => o[n] = type == "integer" ? JsonValue.Create((long)max + 1) : JsonValue.Create((double)max + 1.5)), site.Path);
                    break;

                case OcppSchemaViolation.MultipleOf when s["multipleOf"] is JsonNode m:
                    yield return (site.Mutate(sample, (o, n) => o[n] = JsonValue.Create((decimal)m * 1.5m)), site.Path);
                    break;

                case OcppSchemaViolation.Format when (string?)s["format"] == "date-time":
                    yield return (site.Mutate(sample, (o, n) => o[n] = "2024-01-01T00:00:00"), site.Path);
                    break;

                case OcppSchemaViolation.Format when (string?)s["format"] == "uri":
                    yield return (site.Mutate(sample, (o, n) => o[n] = "not a uri"), site.Path);
                    break;

                case OcppSchemaViolation.ArrayLength when type == "array" && (int?)s["minItems"] >= 1:
                    yield return (site.Mutate(sample, (o, n) => o[n] = new JsonArray()), site.Path);
                    if (s["maxItems"] is JsonNode maxItems)
                    {
                        int count = (int)maxItems + 1;
                        JsonNode item = site.Generator.Generate(s)[0]!;
                        yield return (site.Mutate(sample, (o, n) =>
                        {
                            var items = new JsonArray();
                            for (int i = 0; i < count; i++)
                            {
                                items.Add(item.DeepClone());
                            }

                            o[n] = items;
                        }), site.Path);
                    }

                    break;
            }
        }
    }

    private static readonly Dictionary<(string, string, OcppPayloadKind), SampleGenerator> Generators = [];

    internal static SampleGenerator Generator(string protocol, string action, OcppPayloadKind kind)
    {
        lock (Generators)
        {
            if (!Generators.TryGetValue((protocol, action, kind), out SampleGenerator? generator))
            {
                Generators[(protocol, action, kind)] = generator = new SampleGenerator(SchemaFiles.Load(protocol)[(action, kind)]);
            }

            return generator;
        }
    }
}

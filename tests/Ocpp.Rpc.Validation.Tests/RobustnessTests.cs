using System.Text;
using System.Text.Json.Nodes;

namespace Ocpp.Rpc.Validation.Tests;

/// <summary>Whatever a peer sends, the validator answers with null or a failure, never an exception.</summary>
public class RobustnessTests
{
    private static readonly Func<JsonNode?>[] OddValues =
    [
        () => null,
        () => JsonValue.Create(true),
        () => JsonValue.Create(0),
        () => JsonValue.Create(-1),
        () => JsonValue.Create(1.5),
        () => JsonValue.Create(1e308),
        () => JsonNode.Parse("123456789012345678901234567890123"),
        () => JsonNode.Parse("-1e400"),
        () => JsonNode.Parse("18446744073709551616"),
        () => JsonValue.Create(""),
        () => JsonValue.Create(new string('x', 600)),
        () => JsonValue.Create("2024-02-30T00:00:00Z"),
        () => JsonValue.Create("\u0000\uFFFF\uD83D\uDE00"),
        () => new JsonArray(),
        () => new JsonObject(),
        () => JsonNode.Parse("[[[{\"a\":[null]}]]]"),
        () => JsonNode.Parse("{\"a\":{\"b\":{\"c\":1}}}"),
    ];

    public static IEnumerable<object[]> Protocols() => SchemaFiles.FileNames.Keys.Select(p => new object[] { p });

    [Theory]
    [MemberData(nameof(Protocols))]
    public void Random_values_anywhere_in_every_schema_never_throw(string protocol)
    {
        var random = new Random(20240101);
        int failures = 0, total = 0;
        foreach (((string action, OcppPayloadKind kind), JsonObject schema) in SchemaFiles.Load(protocol))
        {
            var generator = new SampleGenerator(schema);
            JsonNode sample = generator.Generate();
            Site[] sites = generator.Sites().ToArray();
            for (int i = 0; i < 20 && sites.Length > 0; i++)
            {
                Site site = sites[random.Next(sites.Length)];
                Func<JsonNode?> value = OddValues[random.Next(OddValues.Length)];
                JsonNode payload = site.Mutate(sample, (o, n) => o[n] = value());

                OcppValidationFailure? failure = Shared.Validator.Validate(protocol, action, kind, payload);

                total++;
                failures += failure is null ? 0 : 1;
                if (failure is not null)
                {
                    failure.Description.Length.Should().BeInRange(1, 255);
                    failure.Errors.Should().NotBeEmpty();
                }
            }

            // Truncated payloads are invalid JSON, at every cut.
            byte[] bytes = Encoding.UTF8.GetBytes(sample.ToJsonString());
            for (int cut = 1; cut < bytes.Length; cut += Math.Max(1, bytes.Length / 7))
            {
                Shared.Validator.Validate(protocol, action, kind, bytes.AsSpan(0, cut))!.Code.Should().Be(OcppErrorCode.FormatViolation);
            }
        }

        total.Should().BeGreaterThan(100);
        failures.Should().BeGreaterThan(total / 2, "most odd values break the schema");
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(7);
        byte[] buffer = new byte[64];
        for (int i = 0; i < 2000; i++)
        {
            int length = random.Next(buffer.Length);
            random.NextBytes(buffer.AsSpan(0, length));
            if (length > 0 && i % 2 == 0)
            {
                buffer[0] = (byte)'{';
            }

            OcppValidationFailure? failure = Shared.Validator.Validate("ocpp2.0.1", "Heartbeat", OcppPayloadKind.Request, buffer.AsSpan(0, length));
            failure.Should().NotBeNull();
            failure!.Code.Should().BeOneOf(OcppErrorCode.FormatViolation);
        }
    }

    [Fact]
    public void Nesting_deeper_than_64_is_invalid_json_not_a_stack_overflow()
    {
        string deep = "{\"customData\":" + string.Concat(Enumerable.Repeat("[", 10_000)) + string.Concat(Enumerable.Repeat("]", 10_000)) + "}";

        OcppValidationFailure failure = Shared.Validator.Validate("ocpp2.0.1", "Heartbeat", OcppPayloadKind.Request, deep)!;

        failure.Code.Should().Be(OcppErrorCode.FormatViolation);
        failure.Errors.Should().Equal("$: InvalidJson");
    }

    [Fact]
    public void Duplicate_property_names_keep_the_last_value()
    {
        Shared.Validator.Validate("ocpp1.6", "Heartbeat", OcppPayloadKind.Response, "{\"currentTime\":1,\"currentTime\":\"2024-01-01T00:00:00Z\"}").Should().BeNull();
        Shared.Validator.Validate("ocpp1.6", "Heartbeat", OcppPayloadKind.Response, "{\"currentTime\":\"2024-01-01T00:00:00Z\",\"currentTime\":1}")!
            .Errors.Should().Equal("currentTime: Type");
    }
}

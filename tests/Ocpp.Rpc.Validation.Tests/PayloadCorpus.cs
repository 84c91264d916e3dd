using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ocpp.Rpc.Validation.Tests;

/// <summary>The payloads every official schema is tested with: its derived sample, odd documents, one mutation per violation kind, and seeded fuzz.</summary>
internal static class PayloadCorpus
{
    private static readonly JsonSerializerOptions RawUtf8 = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IEnumerable<(string Action, OcppPayloadKind Kind, List<string> Payloads)> For(string protocol, int seed = 20261123)
    {
        var random = new Random(seed);
        foreach ((string action, OcppPayloadKind kind) in SchemaFiles.Load(protocol).Keys)
        {
            SampleGenerator generator = SchemaDrivenTests.Generator(protocol, action, kind);
            JsonNode sample = generator.Generate();
            var payloads = new List<string> { sample.ToJsonString(), "null", "{}", "[]", "1", "\"x\"", "", " ", "{} {}", "{\"a\":1,}" };
            foreach (OcppSchemaViolation violation in Enum.GetValues<OcppSchemaViolation>())
            {
                payloads.AddRange(SchemaDrivenTests.MutationsOf(generator, sample, violation).Select(m => m.Payload.ToJsonString()));
            }

            var fuzzer = new PayloadFuzzer(generator, random);
            for (int i = 0; i < 60; i++)
            {
                JsonNode payload = fuzzer.Generate();
                payloads.Add(payload.ToJsonString());
                payloads.Add(payload.ToJsonString(RawUtf8));
                payloads.Add(PayloadFuzzer.WithDuplicate(payload, random));
            }

            yield return (action, kind, payloads);
        }
    }

    /// <summary>Random payloads for a schema: optional properties, values near and past every bound, wrong types, odd numbers and strings.</summary>
    internal sealed class PayloadFuzzer(SampleGenerator generator, Random random)
    {
        private static readonly string[] OddStrings =
        [
            "", "a", "é", "\u00e9\u0301", "😀", "\r\n", "\u0000", "tab\there", "quote\"back\\slash", "2024-01-01T00:00:00Z",
            "2024-01-01T00:00:00.123+01:00", "2024-02-30T00:00:00Z", "2024-01-01T00:00:00", "2024-01-01 00:00:00Z",
            "https://example.com/x", "not a uri", "Accepted", "accepted", new string('x', 20), new string('x', 21),
            new string('é', 20), new string('x', 50), new string('x', 51), new string('x', 300),
        ];

        private static readonly string[] OddNumbers =
        [
            "0", "-0", "1", "1.0", "-1", "0.1", "0.15", "1e2", "1E-2", "100", "101", "99.99999999999", "100.0000000001",
            "-0.0000000001", "9223372036854775807", "9223372036854775808", "18446744073709551616", "-9223372036854775809",
            "123456789012345678901234567890123456789012345678901234567890123456789", "1e400", "-1e400", "3", "4", "0.30000000000000004",
        ];

        public JsonNode Generate() => Value(generator.Root, 0) ?? new JsonObject();

        public static string WithDuplicate(JsonNode payload, Random random)
        {
            string text = payload.ToJsonString();
            if (payload is not JsonObject { Count: > 0 } obj)
            {
                return text;
            }

            KeyValuePair<string, JsonNode?> first = obj.First();
            string duplicate = JsonSerializer.Serialize(first.Key) + ":" + (random.Next(2) == 0 ? "1" : "\"x\"");
            return random.Next(2) == 0
                ? "{" + duplicate + "," + text[1..]
                : text[..^1] + "," + duplicate + "}";
        }

        private JsonNode? Value(JsonObject schema, int depth)
        {
            schema = generator.Resolve(schema);
            if (random.Next(12) == 0)
            {
                return Odd();
            }

            if (schema["enum"] is JsonArray values)
            {
                return random.Next(6) == 0 ? JsonValue.Create(OddStrings[random.Next(OddStrings.Length)]) : values[random.Next(values.Count)]!.DeepClone();
            }

            switch (SampleGenerator.TypeOf(schema))
            {
                case "object":
                    var obj = new JsonObject();
                    var required = schema["required"] is JsonArray r ? r.Select(n => (string)n!).ToHashSet() : [];
                    foreach ((string name, JsonNode? property) in schema["properties"]?.AsObject() ?? [])
                    {
                        if ((required.Contains(name) && random.Next(20) != 0) || (depth < 6 && random.Next(2) == 0))
                        {
                            obj[name] = Value(property!.AsObject(), depth + 1);
                        }
                    }

                    if (random.Next(15) == 0)
                    {
                        obj["zzExtra"] = 1;
                    }

                    return obj;

                case "array":
                    int max = (int?)schema["maxItems"] ?? 3;
                    int count = random.Next(Math.Min(max, 4) + 2);
                    var array = new JsonArray();
                    for (int i = 0; i < count; i++)
                    {
                        array.Add(Value(schema["items"]!.AsObject(), depth + 1));
                    }

                    return array;

                case "string":
                    if ((string?)schema["format"] == "date-time" && random.Next(3) != 0)
                    {
                        return JsonValue.Create(random.Next(2) == 0 ? "2026-11-23T10:00:00.000Z" : "2024-02-29T23:59:59+05:30");
                    }

                    int? maxLength = (int?)schema["maxLength"];
                    return random.Next(3) == 0 || maxLength is null
                        ? JsonValue.Create(OddStrings[random.Next(OddStrings.Length)])
                        : JsonValue.Create(new string(random.Next(2) == 0 ? 'é' : 'x', Math.Max(0, maxLength.Value + random.Next(-1, 2))));

                case "integer":
                case "number":
                    if (random.Next(2) == 0)
                    {
                        return JsonNode.Parse(OddNumbers[random.Next(OddNumbers.Length)]);
                    }

                    double? bound = random.Next(2) == 0 ? (double?)schema["minimum"] : (double?)schema["maximum"];
                    double value = (bound ?? 0) + random.Next(-2, 3);
                    return SampleGenerator.TypeOf(schema) == "integer" || random.Next(2) == 0
                        ? JsonValue.Create((long)value)
                        : JsonNode.Parse((value + (random.Next(3) - 1) * 0.5).ToString("0.0##", CultureInfo.InvariantCulture));

                case "boolean":
                    return JsonValue.Create(random.Next(2) == 0);

                default:
                    return Odd();
            }
        }

        private JsonNode? Odd() => random.Next(7) switch
        {
            0 => null,
            1 => JsonValue.Create(OddStrings[random.Next(OddStrings.Length)]),
            2 => JsonNode.Parse(OddNumbers[random.Next(OddNumbers.Length)]),
            3 => JsonValue.Create(true),
            4 => new JsonArray(JsonValue.Create(1), null),
            5 => new JsonObject { ["a"] = new JsonObject { ["b"] = null } },
            _ => JsonValue.Create("\u00FF\uD83D\uDE00"),
        };
    }
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace Ocpp.Rpc.Validation.Tests;

/// <summary>
/// Builds the smallest valid payload for a schema (required properties only, first enum value, valid formats,
/// lengths and ranges, minItems items) and finds the places where a single mutation breaks exactly one rule.
/// </summary>
internal sealed class SampleGenerator(JsonObject root)
{
    public const string ValidDateTime = "2024-01-01T00:00:00Z";

    public JsonObject Root => root;

    public JsonNode Generate() => Generate(root);

    public JsonNode Generate(JsonObject schema)
    {
        schema = Resolve(schema);
        if (schema["enum"] is JsonArray values)
        {
            return values[0]!.DeepClone();
        }

        switch (TypeOf(schema))
        {
            case "object":
            case null when schema["properties"] is not null:
                var obj = new JsonObject();
                foreach ((string name, JsonObject propertySchema) in RequiredProperties(schema))
                {
                    obj[name] = Generate(propertySchema);
                }

                return obj;

            case "array":
                var array = new JsonArray();
                for (int i = 0; i < ItemCount(schema); i++)
                {
                    array.Add(Generate(ItemsOf(schema)));
                }

                return array;

            case "string":
                return (string?)schema["format"] switch
                {
                    "date-time" => JsonValue.Create(ValidDateTime),
                    "uri" => JsonValue.Create("https://example.com/firmware.bin"),
                    _ => JsonValue.Create("a"),
                };

            case "integer":
                return JsonValue.Create((long)NumberWithinRange(schema));

            case "number":
                return JsonValue.Create(NumberWithinRange(schema));

            case "boolean":
                return JsonValue.Create(false);

            default:
                throw new NotSupportedException($"Schema type '{TypeOf(schema)}' is not handled by the sample generator.");
        }
    }

    /// <summary>
    /// Every property (required or optional) reachable from the root; array items are reached through index 0.
    /// A site inside optional objects is reached by generating them when the mutation is applied.
    /// </summary>
    public IEnumerable<Site> Sites()
    {
        var results = new List<Site>();
        Walk(Resolve(root), [], "", isRequiredPath: true, depth: 0, results);
        return results;
    }

    private void Walk(JsonObject schema, List<(object Segment, JsonObject Schema)> segments, string path, bool isRequiredPath, int depth, List<Site> results)
    {
        if (depth > 16)
        {
            return; // the OCPP schemas are not recursive; this only guards against a surprise
        }

        if (TypeOf(schema) == "object" && schema["properties"] is JsonObject properties)
        {
            var required = RequiredProperties(schema).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            foreach ((string name, JsonNode? propertySchema) in properties)
            {
                JsonObject resolved = Resolve(propertySchema!.AsObject());
                var childSegments = new List<(object, JsonObject)>(segments) { (name, resolved) };
                string childPath = path.Length == 0 ? name : path + "." + name;
                bool childRequired = isRequiredPath && required.Contains(name);
                results.Add(new Site(this, name, resolved, childSegments, childPath, childRequired));
                Walk(resolved, childSegments, childPath, childRequired, depth + 1, results);
            }
        }
        else if (TypeOf(schema) == "array" && ItemCount(schema) > 0)
        {
            JsonObject items = Resolve(ItemsOf(schema));
            Walk(items, new List<(object, JsonObject)>(segments) { (0, items) }, path + "[0]", isRequiredPath, depth + 1, results);
        }
    }

    public JsonObject Resolve(JsonObject schema)
    {
        while (schema["$ref"] is JsonValue reference)
        {
            string r = (string)reference!;
            const string Prefix = "#/definitions/";
            if (!r.StartsWith(Prefix, StringComparison.Ordinal))
            {
                throw new NotSupportedException(r);
            }

            schema = root["definitions"]![r[Prefix.Length..]]!.AsObject();
        }

        return schema;
    }

    public static string? TypeOf(JsonObject schema) => (string?)schema["type"];

    public IEnumerable<(string Name, JsonObject Schema)> RequiredProperties(JsonObject schema)
    {
        if (schema["required"] is not JsonArray required)
        {
            yield break;
        }

        foreach (JsonNode? name in required)
        {
            string n = (string)name!;
            yield return (n, schema["properties"]![n]!.AsObject());
        }
    }

    private static JsonObject ItemsOf(JsonObject schema) => schema["items"]!.AsObject();

    public static int ItemCount(JsonObject schema)
    {
        int count = Math.Max((int?)schema["minItems"] ?? 0, 1);
        return schema["maxItems"] is JsonNode max ? Math.Min(count, (int)max) : count;
    }

    private static double NumberWithinRange(JsonObject schema)
    {
        double value = schema["minimum"] is JsonNode min ? (double)min : 0;
        if (schema["maximum"] is JsonNode max && value > (double)max)
        {
            value = (double)max;
        }

        return value;
    }

    public static string Invariant(double d) => d.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A property of the sample: its schema, how to reach it, and whether it is present in the required-only sample.</summary>
/// <param name="Generator">The generator, used to materialize optional parents.</param>
/// <param name="Name">The property name.</param>
/// <param name="Schema">Its resolved schema.</param>
/// <param name="Segments">Property names and array indexes from the payload root, each with the schema of what it leads to.</param>
/// <param name="Path">The path as the validator reports it, e.g. <c>meterValue[0].timestamp</c>.</param>
/// <param name="IsRequired">Whether it and all its parents are required (so it is in the required-only sample).</param>
internal sealed record Site(SampleGenerator Generator, string Name, JsonObject Schema, IReadOnlyList<(object Segment, JsonObject Schema)> Segments, string Path, bool IsRequired)
{
    /// <summary>Applies <paramref name="mutate"/> to the parent object of this site in a copy of <paramref name="sample"/>.</summary>
    public JsonNode Mutate(JsonNode sample, Action<JsonObject, string> mutate)
    {
        JsonNode copy = sample.DeepClone();
        JsonNode node = copy;
        for (int i = 0; i < Segments.Count - 1; i++)
        {
            (object segment, JsonObject schema) = Segments[i];
            if (segment is int index)
            {
                node = node[index]!;
                continue;
            }

            string name = (string)segment;
            node[name] ??= Generator.Generate(schema);
            node = node[name]!;
        }

        mutate(node.AsObject(), Name);
        return copy;
    }
}

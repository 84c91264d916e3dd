using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ocpp.Rpc.Messages.Tests;

/// <summary>
/// Builds JSON instances from a schema: a minimal one (required properties only, one item per array) or a maximal
/// one (every optional property, two items per array where allowed, vendor extensions in open objects). Strings
/// respect maxLength, numbers respect minimum/maximum, enums cycle through their values with <c>variant</c>, and
/// date-times vary between whole seconds, milliseconds and non-UTC offsets.
/// </summary>
internal sealed class SampleInstance
{
    private readonly JsonElement _root;
    private readonly bool _maximal;
    private readonly int _variant;
    private int _counter;

    private SampleInstance(JsonElement root, bool maximal, int variant)
    {
        _root = root;
        _maximal = maximal;
        _variant = variant;
    }

    public static JsonNode Build(JsonElement schema, bool maximal, int variant = 0) =>
        new SampleInstance(schema, maximal, variant).Node(schema, 0)!;

    /// <summary>The largest enum anywhere in the schema: variants 0..n-1 cover every value of every enum.</summary>
    public static int MaxEnumLength(JsonElement schema)
    {
        var max = 0;
        void Walk(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in e.EnumerateObject())
                {
                    if (p.Name == "enum")
                    {
                        max = Math.Max(max, p.Value.GetArrayLength());
                    }
                    else
                    {
                        Walk(p.Value);
                    }
                }
            }
            else if (e.ValueKind == JsonValueKind.Array)
            {
                foreach (var i in e.EnumerateArray())
                {
                    Walk(i);
                }
            }
        }

        Walk(schema);
        return max;
    }

    private JsonNode? Node(JsonElement s, int depth)
    {
        if (depth > 32)
        {
            throw new InvalidOperationException("Schema too deep.");
        }

        if (s.TryGetProperty("$ref", out var r))
        {
            var name = r.GetString()!["#/definitions/".Length..];
            return Node(_root.GetProperty("definitions").GetProperty(name), depth + 1);
        }

        if (s.TryGetProperty("enum", out var values))
        {
            var n = values.GetArrayLength();
            return JsonValue.Create(values[(_variant + _counter++) % n].GetString());
        }

        var type = s.TryGetProperty("type", out var t) ? t.GetString() : null;
        switch (type)
        {
            case "object":
                return Object(s, depth);
            case "array":
                var min = s.TryGetProperty("minItems", out var mi) ? mi.GetInt32() : 0;
                var max = s.TryGetProperty("maxItems", out var ma) ? ma.GetInt32() : int.MaxValue;
                var count = Math.Min(max, Math.Max(min, _maximal ? 2 : 1));
                var array = new JsonArray();
                for (var i = 0; i < count; i++)
                {
                    array.Add(Node(s.GetProperty("items"), depth + 1));
                }

                return array;
            case "string" when s.TryGetProperty("format", out var f) && f.GetString() == "date-time":
                return JsonValue.Create(DateTime());
            case "string":
                return JsonValue.Create(Text(s));
            case "integer":
                return JsonValue.Create(Integer(s));
            case "number":
                return JsonValue.Create(Number(s));
            case "boolean":
                return JsonValue.Create(_maximal);
            case null:
                // Untyped (DataTransfer.data in 2.x): any JSON value.
                return _maximal ? JsonNode.Parse("""{"k":[1,"two",true,{"n":1.5}]}""") : JsonValue.Create("x");
            default:
                throw new InvalidOperationException("Unsupported schema type " + type);
        }
    }

    private JsonObject Object(JsonElement s, int depth)
    {
        var obj = new JsonObject();
        var required = s.TryGetProperty("required", out var req) ? req.EnumerateArray().Select(x => x.GetString()!).ToHashSet() : [];
        if (s.TryGetProperty("properties", out var props))
        {
            foreach (var p in props.EnumerateObject())
            {
                if (_maximal || required.Contains(p.Name))
                {
                    obj[p.Name] = Node(p.Value, depth + 1);
                }
            }
        }

        var open = !s.TryGetProperty("additionalProperties", out var ap) || ap.ValueKind != JsonValueKind.False;
        if (open && _maximal)
        {
            obj["vendorExtension"] = JsonNode.Parse("""{"a":[1,2.5,"x",null,false],"b":{}}""");
            obj["vendorFlag"] = true;
        }

        return obj;
    }

    private string Text(JsonElement s)
    {
        var maxLength = s.TryGetProperty("maxLength", out var ml) ? ml.GetInt32() : int.MaxValue;
        var text = _maximal ? $"Ünïcødé-\"quoted\"-{_counter++}-" + new string('x', 40) : "s";
        return text.Length > maxLength ? text[..maxLength] : text;
    }

    private long Integer(JsonElement s)
    {
        var min = s.TryGetProperty("minimum", out var mi) ? mi.GetInt64() : (long?)null;
        var max = s.TryGetProperty("maximum", out var ma) ? ma.GetInt64() : (long?)null;
        long value = _maximal ? 42 + _counter++ : 0;
        if (min is { } lo && value < lo)
        {
            value = lo;
        }

        if (max is { } hi && value > hi)
        {
            value = hi;
        }

        return value;
    }

    private decimal Number(JsonElement s)
    {
        var min = s.TryGetProperty("minimum", out var mi) ? mi.GetDecimal() : (decimal?)null;
        var max = s.TryGetProperty("maximum", out var ma) ? ma.GetDecimal() : (decimal?)null;
        var value = _maximal ? 12.5m : 0m;
        if (min is { } lo && value < lo)
        {
            value = lo;
        }

        if (max is { } hi && value > hi)
        {
            value = hi;
        }

        return value;
    }

    private string DateTime() => ((_variant + _counter++) % 4) switch
    {
        0 => "2025-01-31T12:34:56Z",
        1 => "2025-01-31T12:34:56.789Z",
        2 => "2025-06-30T23:59:59+02:00",
        _ => "2024-02-29T00:00:00.001-05:30",
    };
}

/// <summary>JSON equality by meaning: object member order ignored, numbers compared by value.</summary>
internal static class JsonSemantic
{
    public static bool Equal(JsonNode? a, JsonNode? b) => (a, b) switch
    {
        (null, null) => true,
        (JsonObject x, JsonObject y) => x.Count == y.Count && x.All(p => y.TryGetPropertyValue(p.Key, out var v) && Equal(p.Value, v)),
        (JsonArray x, JsonArray y) => x.Count == y.Count && x.Zip(y).All(p => Equal(p.First, p.Second)),
        (JsonValue x, JsonValue y) => ValueEqual(x, y),
        _ => false,
    };

    private static bool ValueEqual(JsonValue x, JsonValue y)
    {
        if (x.GetValueKind() != y.GetValueKind())
        {
            return false;
        }

        return x.GetValueKind() switch
        {
            JsonValueKind.Number => decimal.Parse(x.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
                == decimal.Parse(y.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture),
            JsonValueKind.String => x.GetValue<string>() == y.GetValue<string>(),
            _ => x.ToJsonString() == y.ToJsonString(),
        };
    }
}

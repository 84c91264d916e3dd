using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ocpp.Rpc.Validation.Internal;

/// <summary>A schema that cannot be read, with the JSON pointer of the offending part.</summary>
internal sealed class SchemaReadException(string location, string message) : Exception($"{location}: {message}")
{
    /// <summary>The JSON pointer of the part that cannot be read, e.g. <c>#/properties/a/type</c>.</summary>
    public string Location { get; } = location;
}

/// <summary>
/// Reads JSON schema text (draft-04, -06 and -07, as the OCA ships them and as vendors write them) into
/// <see cref="SchemaNode"/>s with <see cref="System.Text.Json"/>: no reflection, so it works trimmed and under native
/// AOT. Only local references (<c>#/definitions/…</c>, any JSON pointer into the same document) are resolved;
/// siblings of <c>$ref</c> are ignored, as draft-07 says. A keyword that would change what is valid but is not
/// implemented (<c>if</c>, <c>dependencies</c>, <c>contains</c>, …) is an error, never silently ignored; other
/// unknown keywords are annotations.
/// </summary>
internal sealed class SchemaReader
{
    /// <summary>Regular expressions from schemas get this long per match: a vendor's pattern must not stall a connection.</summary>
    internal static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(200);

    private static readonly FrozenSet<string> Unsupported = new[]
    {
        "if", "then", "else", "dependencies", "dependentRequired", "dependentSchemas", "propertyNames", "contains",
        "minContains", "maxContains", "prefixItems", "unevaluatedProperties", "unevaluatedItems", "$dynamicRef",
        "$recursiveRef", "extends", "disallow", "divisibleBy",
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly JsonElement _root;
    private readonly Dictionary<string, SchemaNode> _byLocation = new(StringComparer.Ordinal);
    private readonly HashSet<string> _resolving = new(StringComparer.Ordinal);

    private SchemaReader(JsonElement root) => _root = root;

    /// <summary>Reads <paramref name="text"/>.</summary>
    /// <param name="text">The schema document.</param>
    /// <returns>The root schema.</returns>
    /// <exception cref="SchemaReadException">The text is not JSON, or not a schema this reader supports.</exception>
    public static SchemaNode Read(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            throw new SchemaReadException("#", $"not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1})");
        }

        using (document)
        {
            return new SchemaReader(document.RootElement).ReadAt(document.RootElement, "#");
        }
    }

    private SchemaNode ReadAt(JsonElement element, string location)
    {
        if (_byLocation.TryGetValue(location, out SchemaNode? known))
        {
            return known;
        }

        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("$ref", out JsonElement reference))
        {
            if (reference.ValueKind != JsonValueKind.String)
            {
                throw new SchemaReadException(location + "/$ref", "must be a string");
            }

            if (!_resolving.Add(location))
            {
                throw new SchemaReadException(location, "the $ref chain never reaches a schema");
            }

            SchemaNode target = Resolve(reference.GetString()!, location + "/$ref");
            _resolving.Remove(location);
            _byLocation[location] = target;
            return target;
        }

        var node = new SchemaNode { Location = location };
        _byLocation[location] = node;
        switch (element.ValueKind)
        {
            case JsonValueKind.True:
                return node;
            case JsonValueKind.False:
                node.RejectsAll = true;
                return node;
            case JsonValueKind.Object:
                break;
            default:
                throw new SchemaReadException(location, "a schema must be an object or a boolean");
        }

        foreach (JsonProperty keyword in element.EnumerateObject())
        {
            if (Unsupported.Contains(keyword.Name))
            {
                throw new SchemaReadException(Combine(location, keyword.Name), $"the keyword '{keyword.Name}' is not supported by strict mode");
            }
        }

        ReadType(element, node);
        ReadObjectKeywords(element, node);
        ReadStringKeywords(element, node);
        ReadNumberKeywords(element, node);
        ReadArrayKeywords(element, node);
        ReadCombinators(element, node);
        if (element.TryGetProperty("enum", out JsonElement values))
        {
            if (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() == 0)
            {
                throw new SchemaReadException(Combine(location, "enum"), "must be a non-empty array");
            }

            node.Enum = [.. values.EnumerateArray().Select(v => v.Clone())];
        }

        if (element.TryGetProperty("const", out JsonElement constant))
        {
            node.Const = constant.Clone();
        }

        return node;
    }

    private SchemaNode Resolve(string reference, string location)
    {
        if (!reference.StartsWith('#'))
        {
            throw new SchemaReadException(location, $"only local references ('#/...') are supported, not '{reference}'");
        }

        string pointer = Uri.UnescapeDataString(reference[1..]);
        JsonElement target = _root;
        if (pointer.Length > 0)
        {
            if (pointer[0] != '/')
            {
                throw new SchemaReadException(location, $"'{reference}' is not a JSON pointer");
            }

            foreach (string raw in pointer[1..].Split('/'))
            {
                string token = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                bool found = target.ValueKind switch
                {
                    JsonValueKind.Object => target.TryGetProperty(token, out target),
                    JsonValueKind.Array => int.TryParse(token, out int index) && index >= 0 && index < target.GetArrayLength()
                        && (target = target[index]).ValueKind != JsonValueKind.Undefined,
                    _ => false,
                };
                if (!found)
                {
                    throw new SchemaReadException(location, $"'{reference}' does not resolve");
                }
            }
        }

        return ReadAt(target, "#" + pointer);
    }

    private static void ReadType(JsonElement element, SchemaNode node)
    {
        if (!element.TryGetProperty("type", out JsonElement type))
        {
            return;
        }

        string location = Combine(node.Location, "type");
        if (type.ValueKind == JsonValueKind.String)
        {
            node.Types = TypeOf(type.GetString()!, location);
            return;
        }

        if (type.ValueKind != JsonValueKind.Array || type.GetArrayLength() == 0)
        {
            throw new SchemaReadException(location, "must be a type name or a non-empty array of them");
        }

        foreach (JsonElement item in type.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw new SchemaReadException(location, "must be a type name or a non-empty array of them");
            }

            node.Types |= TypeOf(item.GetString()!, location);
        }
    }

    private static SchemaTypes TypeOf(string name, string location) => name switch
    {
        "object" => SchemaTypes.Object,
        "array" => SchemaTypes.Array,
        "string" => SchemaTypes.String,
        "integer" => SchemaTypes.Integer,
        "number" => SchemaTypes.Number,
        "boolean" => SchemaTypes.Boolean,
        "null" => SchemaTypes.Null,
        _ => throw new SchemaReadException(location, $"unknown type '{name}'"),
    };

    private void ReadObjectKeywords(JsonElement element, SchemaNode node)
    {
        string location = node.Location;
        if (element.TryGetProperty("properties", out JsonElement properties))
        {
            node.Properties = [.. Schemas(properties, Combine(location, "properties"))];
        }

        if (element.TryGetProperty("patternProperties", out JsonElement patterns))
        {
            node.PatternProperties = [.. Schemas(patterns, Combine(location, "patternProperties"))
                .Select(p => KeyValuePair.Create(Pattern(p.Key, Combine(Combine(location, "patternProperties"), p.Key)), p.Value))];
        }

        if (element.TryGetProperty("required", out JsonElement required))
        {
            // draft-04 and later: an array of names (draft-03's boolean form is not supported).
            if (required.ValueKind != JsonValueKind.Array || required.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
            {
                throw new SchemaReadException(Combine(location, "required"), "must be an array of property names");
            }

            node.Required = [.. required.EnumerateArray().Select(r => r.GetString()!).Distinct(StringComparer.Ordinal)];
        }

        if (element.TryGetProperty("additionalProperties", out JsonElement additional))
        {
            switch (additional.ValueKind)
            {
                case JsonValueKind.True:
                    break;
                case JsonValueKind.False:
                    node.AdditionalPropertiesAllowed = false;
                    break;
                default:
                    node.AdditionalProperties = ReadAt(additional, Combine(location, "additionalProperties"));
                    break;
            }
        }

        node.MinProperties = Count(element, "minProperties", location) ?? 0;
        node.MaxProperties = Count(element, "maxProperties", location);
    }

    private IEnumerable<KeyValuePair<string, SchemaNode>> Schemas(JsonElement map, string location)
    {
        if (map.ValueKind != JsonValueKind.Object)
        {
            throw new SchemaReadException(location, "must be an object of schemas");
        }

        var result = new List<KeyValuePair<string, SchemaNode>>();
        foreach (JsonProperty property in map.EnumerateObject())
        {
            result.Add(KeyValuePair.Create(property.Name, ReadAt(property.Value, Combine(location, property.Name))));
        }

        return result;
    }

    private static void ReadStringKeywords(JsonElement element, SchemaNode node)
    {
        string location = node.Location;
        node.MinLength = Count(element, "minLength", location);
        node.MaxLength = Count(element, "maxLength", location);
        if (element.TryGetProperty("pattern", out JsonElement pattern))
        {
            if (pattern.ValueKind != JsonValueKind.String)
            {
                throw new SchemaReadException(Combine(location, "pattern"), "must be a string");
            }

            node.Pattern = Pattern(pattern.GetString()!, Combine(location, "pattern"));
        }

        if (element.TryGetProperty("format", out JsonElement format))
        {
            if (format.ValueKind != JsonValueKind.String)
            {
                throw new SchemaReadException(Combine(location, "format"), "must be a string");
            }

            node.FormatName = format.GetString();
            node.Format = StringFormats.Parse(node.FormatName!);
        }
    }

    private static void ReadNumberKeywords(JsonElement element, SchemaNode node)
    {
        string location = node.Location;
        decimal? minimum = Number(element, "minimum", location);
        decimal? maximum = Number(element, "maximum", location);

        // draft-04 writes exclusiveness as a boolean beside minimum/maximum; draft-06 and later as a number.
        decimal? exclusiveMinimum = null, exclusiveMaximum = null;
        if (element.TryGetProperty("exclusiveMinimum", out JsonElement exMin) && exMin.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            if (exMin.ValueKind == JsonValueKind.True)
            {
                (exclusiveMinimum, minimum) = (minimum, null);
            }
        }
        else
        {
            exclusiveMinimum = Number(element, "exclusiveMinimum", location);
        }

        if (element.TryGetProperty("exclusiveMaximum", out JsonElement exMax) && exMax.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            if (exMax.ValueKind == JsonValueKind.True)
            {
                (exclusiveMaximum, maximum) = (maximum, null);
            }
        }
        else
        {
            exclusiveMaximum = Number(element, "exclusiveMaximum", location);
        }

        node.Minimum = minimum;
        node.Maximum = maximum;
        node.ExclusiveMinimum = exclusiveMinimum;
        node.ExclusiveMaximum = exclusiveMaximum;
        node.MultipleOf = Number(element, "multipleOf", location);
        if (node.MultipleOf <= 0)
        {
            throw new SchemaReadException(Combine(location, "multipleOf"), "must be greater than 0");
        }
    }

    private void ReadArrayKeywords(JsonElement element, SchemaNode node)
    {
        string location = node.Location;
        if (element.TryGetProperty("items", out JsonElement items))
        {
            if (items.ValueKind == JsonValueKind.Array)
            {
                node.TupleItems = [.. items.EnumerateArray().Select((item, i) => ReadAt(item, Combine(Combine(location, "items"), i.ToString(System.Globalization.CultureInfo.InvariantCulture))))];
            }
            else
            {
                node.Items = ReadAt(items, Combine(location, "items"));
            }
        }

        // additionalItems only means something after a tuple (draft-07 ignores it beside a single items schema).
        if (node.TupleItems is not null && element.TryGetProperty("additionalItems", out JsonElement additional))
        {
            switch (additional.ValueKind)
            {
                case JsonValueKind.True:
                    break;
                case JsonValueKind.False:
                    node.AdditionalItemsAllowed = false;
                    break;
                default:
                    node.AdditionalItems = ReadAt(additional, Combine(location, "additionalItems"));
                    break;
            }
        }

        node.MinItems = Count(element, "minItems", location) ?? 0;
        node.MaxItems = Count(element, "maxItems", location);
        if (element.TryGetProperty("uniqueItems", out JsonElement unique))
        {
            node.UniqueItems = unique.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new SchemaReadException(Combine(location, "uniqueItems"), "must be a boolean"),
            };
        }
    }

    private void ReadCombinators(JsonElement element, SchemaNode node)
    {
        node.AllOf = List(element, "allOf", node.Location);
        node.AnyOf = List(element, "anyOf", node.Location);
        node.OneOf = List(element, "oneOf", node.Location);
        if (element.TryGetProperty("not", out JsonElement not))
        {
            node.Not = ReadAt(not, Combine(node.Location, "not"));
        }
    }

    private SchemaNode[]? List(JsonElement element, string keyword, string location)
    {
        if (!element.TryGetProperty(keyword, out JsonElement list))
        {
            return null;
        }

        location = Combine(location, keyword);
        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            throw new SchemaReadException(location, "must be a non-empty array of schemas");
        }

        return [.. list.EnumerateArray().Select((item, i) => ReadAt(item, Combine(location, i.ToString(System.Globalization.CultureInfo.InvariantCulture))))];
    }

    private static int? Count(JsonElement element, string keyword, string location)
    {
        if (!element.TryGetProperty(keyword, out JsonElement value))
        {
            return null;
        }

        // 5.0 is an integer in draft-06 and later.
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out decimal d) && d >= 0 && d == Math.Floor(d))
        {
            return d > int.MaxValue ? int.MaxValue : (int)d;
        }

        throw new SchemaReadException(Combine(location, keyword), "must be a non-negative integer");
    }

    private static decimal? Number(JsonElement element, string keyword, string location)
    {
        if (!element.TryGetProperty(keyword, out JsonElement value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out decimal d))
        {
            return d;
        }

        throw new SchemaReadException(Combine(location, keyword), "must be a number within ±7.9e28");
    }

    private static Regex Pattern(string pattern, string location)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, PatternTimeout);
        }
        catch (ArgumentException ex)
        {
            throw new SchemaReadException(location, $"not a valid regular expression ({ex.Message})");
        }
    }

    private static string Combine(string location, string token) =>
        location + "/" + token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}

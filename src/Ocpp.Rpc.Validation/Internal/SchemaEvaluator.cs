using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ocpp.Rpc.Validation.Internal;

/// <summary>
/// The full validation of strict mode: checks a parsed payload against a <see cref="SchemaNode"/> and lists every
/// violation (up to <see cref="OcppSchemaValidator.MaxErrors"/>) with its path. It decides whenever the fast path
/// (<see cref="FastSchemaValidator"/>) is not sure, so both must agree on what is valid.
/// </summary>
/// <remarks>
/// Per value, in this order: the boolean schema <c>false</c>, <c>anyOf</c>, <c>allOf</c>, <c>oneOf</c>, <c>not</c>,
/// the type and the constraints of the value's kind, <c>enum</c>, <c>const</c>, then an object's properties. A
/// <c>null</c> where the schema allows <c>null</c> skips type and enum checks. As in the typed messages, an integer is a
/// number token without fraction or exponent that fits 64 bits (<c>1.0</c> is not one). String lengths count Unicode
/// code points; duplicate property names keep the last value.
/// </remarks>
internal sealed class SchemaEvaluator
{
    private readonly List<SchemaError> _errors = [];

    private SchemaEvaluator()
    {
    }

    /// <summary>Every violation of <paramref name="value"/> against <paramref name="schema"/>; empty when valid.</summary>
    public static List<SchemaError> Evaluate(SchemaNode schema, JsonElement value)
    {
        var evaluator = new SchemaEvaluator();
        evaluator.Validate(value, schema, string.Empty);
        return evaluator._errors;
    }

    /// <summary>Whether <paramref name="value"/> is valid against <paramref name="schema"/> (for <c>anyOf</c>, <c>oneOf</c>, <c>not</c> and multiple types).</summary>
    private static bool IsValid(SchemaNode schema, JsonElement value, string path)
    {
        var evaluator = new SchemaEvaluator();
        evaluator.Validate(value, schema, path);
        return evaluator._errors.Count == 0;
    }

    private bool Full => _errors.Count >= OcppSchemaValidator.MaxErrors;

    private void Add(string path, OcppSchemaViolation violation, string message)
    {
        if (!Full)
        {
            _errors.Add(new SchemaError(path.Length == 0 ? SchemaError.RootPath : path, violation, message));
        }
    }

    private void Validate(JsonElement value, SchemaNode schema, string path)
    {
        if (Full)
        {
            return;
        }

        if (schema.RejectsAll)
        {
            Add(path, OcppSchemaViolation.Other, "no value is allowed here");
            return;
        }

        if (schema.AnyOf is { } anyOf && !anyOf.Any(s => IsValid(s, value, path)))
        {
            Add(path, OcppSchemaViolation.Other, "matches none of the anyOf schemas");
        }

        foreach (SchemaNode branch in schema.AllOf ?? [])
        {
            Validate(value, branch, path);
        }

        if (schema.OneOf is { } oneOf && oneOf.Count(s => IsValid(s, value, path)) is var matched && matched != 1)
        {
            Add(path, OcppSchemaViolation.Other, $"matches {matched} of the oneOf schemas, not exactly one");
        }

        if (schema.Not is { } not && IsValid(not, value, path))
        {
            Add(path, OcppSchemaViolation.Other, "matches a schema it must not match");
        }

        bool allowedNull = value.ValueKind == JsonValueKind.Null && schema.IsNullable;
        if (!allowedNull)
        {
            ValidateType(value, schema, path);
            if (schema.Enum is { } values && !values.Any(v => JsonElement.DeepEquals(v, value)))
            {
                Add(path, OcppSchemaViolation.Enum, "value is not one of the allowed values");
            }
        }

        if (schema.Const is { } constant && !JsonElement.DeepEquals(constant, value))
        {
            Add(path, OcppSchemaViolation.Enum, "value is not the allowed value");
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            ValidateProperties(value, schema, path);
        }
    }

    private void ValidateType(JsonElement value, SchemaNode schema, string path)
    {
        SchemaTypes types = schema.Types;
        if (types == SchemaTypes.None || (types & (types - 1)) == 0)
        {
            ValidateKind(value, schema, types, path);
            return;
        }

        // Several types: one of them has to validate the value (with the constraints of its kind).
        for (SchemaTypes type = SchemaTypes.Object; type <= SchemaTypes.Null; type = (SchemaTypes)((int)type << 1))
        {
            if ((types & type) != 0)
            {
                var evaluator = new SchemaEvaluator();
                evaluator.ValidateKind(value, schema, type, path);
                if (evaluator._errors.Count == 0)
                {
                    return;
                }
            }
        }

        Add(path, OcppSchemaViolation.Type, "has the wrong type");
    }

    private void ValidateKind(JsonElement value, SchemaNode schema, SchemaTypes type, string path)
    {
        ValidateArray(value, schema, type, path);
        ValidateString(value, schema, type, path);
        ValidateNumber(value, schema, type, path);
        if ((type & SchemaTypes.Integer) != 0 && !IsIntegerToken(value))
        {
            Add(path, OcppSchemaViolation.Type, "must be an integer");
        }

        if ((type & SchemaTypes.Boolean) != 0 && value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Add(path, OcppSchemaViolation.Type, "must be a boolean");
        }

        if ((type & SchemaTypes.Null) != 0 && value.ValueKind != JsonValueKind.Null)
        {
            Add(path, OcppSchemaViolation.Type, "must be null");
        }

        if ((type & SchemaTypes.Object) != 0 && value.ValueKind != JsonValueKind.Object)
        {
            Add(path, OcppSchemaViolation.Type, "must be an object");
        }
    }

    private void ValidateArray(JsonElement value, SchemaNode schema, SchemaTypes type, string path)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            if ((type & SchemaTypes.Array) != 0)
            {
                Add(path, OcppSchemaViolation.Type, "must be an array");
            }

            return;
        }

        int count = value.GetArrayLength();
        if (count < schema.MinItems)
        {
            Add(path, OcppSchemaViolation.ArrayLength, $"array has fewer than {schema.MinItems} items");
        }

        if (count > schema.MaxItems)
        {
            Add(path, OcppSchemaViolation.ArrayLength, $"array has more than {schema.MaxItems} items");
        }

        if (schema.UniqueItems && HasDuplicates(value))
        {
            Add(path, OcppSchemaViolation.Other, "array items are not unique");
        }

        int index = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            if (Full)
            {
                return;
            }

            string itemPath = path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";
            if (schema.Items is { } items)
            {
                Validate(item, items, itemPath);
            }
            else if (schema.TupleItems is { } tuple)
            {
                if (index < tuple.Length)
                {
                    Validate(item, tuple[index], itemPath);
                }
                else if (schema.AdditionalItems is { } additional)
                {
                    Validate(item, additional, itemPath);
                }
                else if (!schema.AdditionalItemsAllowed)
                {
                    Add(itemPath, OcppSchemaViolation.ArrayLength, $"array has more than {tuple.Length} items");
                }
            }

            index++;
        }
    }

    private void ValidateString(JsonElement value, SchemaNode schema, SchemaTypes type, string path)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            if ((type & SchemaTypes.String) != 0)
            {
                Add(path, OcppSchemaViolation.Type, "must be a string");
            }

            return;
        }

        string text = value.GetString()!;
        if (schema.Pattern is { } pattern && !Matches(pattern, text))
        {
            Add(path, OcppSchemaViolation.Pattern, "does not match the pattern");
        }

        if (schema.MinLength is not null || schema.MaxLength is not null)
        {
            int length = CodePoints(text);
            if (length < schema.MinLength)
            {
                Add(path, OcppSchemaViolation.Length, $"string is shorter than {schema.MinLength} characters");
            }

            if (length > schema.MaxLength)
            {
                Add(path, OcppSchemaViolation.Length, $"string is longer than {schema.MaxLength} characters");
            }
        }

        if (schema.Format != StringFormat.None && !StringFormats.IsValid(schema.Format, text))
        {
            Add(path, OcppSchemaViolation.Format, schema.Format switch
            {
                StringFormat.DateTime => "must be an RFC 3339 date-time with offset",
                StringFormat.Uri => "must be an absolute URI",
                _ => $"does not match the format '{schema.FormatName}'",
            });
        }
    }

    private void ValidateNumber(JsonElement value, SchemaNode schema, SchemaTypes type, string path)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            if ((type & SchemaTypes.Number) != 0)
            {
                Add(path, OcppSchemaViolation.Type, "must be a number");
            }

            return;
        }

        if (!schema.HasNumberConstraints)
        {
            return;
        }

        // Exact decimal comparison where the number fits a decimal; beyond that (1e400) as a double, infinite included.
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(value);
        bool exact = value.TryGetDecimal(out decimal d);
        double f = exact ? 0 : double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
        bool Below(decimal bound) => exact ? d < bound : f < (double)bound;
        bool Above(decimal bound) => exact ? d > bound : f > (double)bound;

        if (schema.Minimum is { } min && Below(min))
        {
            Add(path, OcppSchemaViolation.Range, $"number is below the minimum {Invariant(min)}");
        }

        if (schema.Maximum is { } max && Above(max))
        {
            Add(path, OcppSchemaViolation.Range, $"number is above the maximum {Invariant(max)}");
        }

        if (schema.ExclusiveMinimum is { } exMin && !Above(exMin))
        {
            Add(path, OcppSchemaViolation.Range, $"number is not above the exclusive minimum {Invariant(exMin)}");
        }

        if (schema.ExclusiveMaximum is { } exMax && !Below(exMax))
        {
            Add(path, OcppSchemaViolation.Range, $"number is not below the exclusive maximum {Invariant(exMax)}");
        }

        if (schema.MultipleOf is { } multiple && !IsMultiple(raw, exact, d, f, multiple))
        {
            Add(path, OcppSchemaViolation.MultipleOf, $"number is not a multiple of {Invariant(multiple)}");
        }
    }

    // Exactly, or at double precision (15 significant digits) for a float token: a station that computes 0.1 + 0.2 in
    // binary floating point and prints 0.30000000000000004 still sends a multiple of 0.1.
    private static bool IsMultiple(ReadOnlySpan<byte> raw, bool exact, decimal d, double f, decimal multiple)
    {
        if (!exact)
        {
            return f % (double)multiple == 0;
        }

        if (d % multiple == 0)
        {
            return true;
        }

        return raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') >= 0
            && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double approx)
            && (decimal)approx % multiple == 0;
    }

    private void ValidateProperties(JsonElement value, SchemaNode schema, string path)
    {
        // Duplicate names: the last value counts (as in System.Text.Json's typed reading), listed once, first place.
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (JsonProperty property in value.EnumerateObject())
        {
            if (!values.ContainsKey(property.Name))
            {
                order.Add(property.Name);
            }

            values[property.Name] = property.Value;
        }

        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, SchemaNode child) in schema.Properties)
        {
            declared.Add(name);
            if (values.TryGetValue(name, out JsonElement item))
            {
                if (item.ValueKind != JsonValueKind.Null || !child.IsNullable)
                {
                    Validate(item, child, Child(path, name));
                }
            }
            else if (Array.IndexOf(schema.Required, name) >= 0)
            {
                Add(Child(path, name), OcppSchemaViolation.Required, "required property is missing");
            }
        }

        foreach (string name in schema.Required)
        {
            if (!declared.Contains(name) && !values.ContainsKey(name))
            {
                Add(Child(path, name), OcppSchemaViolation.Required, "required property is missing");
            }
        }

        if (values.Count > schema.MaxProperties)
        {
            Add(path, OcppSchemaViolation.Other, $"object has more than {schema.MaxProperties} properties");
        }

        if (values.Count < schema.MinProperties)
        {
            Add(path, OcppSchemaViolation.Other, $"object has fewer than {schema.MinProperties} properties");
        }

        foreach (string name in order)
        {
            if (Full)
            {
                return;
            }

            bool matched = false;
            foreach ((Regex pattern, SchemaNode child) in schema.PatternProperties)
            {
                if (Matches(pattern, name))
                {
                    matched = true;
                    Validate(values[name], child, Child(path, name));
                }
            }

            if (matched || declared.Contains(name))
            {
                continue;
            }

            if (schema.AdditionalProperties is { } additional)
            {
                Validate(values[name], additional, Child(path, name));
            }
            else if (!schema.AdditionalPropertiesAllowed)
            {
                Add(Child(path, name), OcppSchemaViolation.AdditionalProperty, "property is not allowed");
            }
        }
    }

    private static string Child(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static bool IsIntegerToken(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number
        && JsonMarshal.GetRawUtf8Value(value).IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0
        && (value.TryGetInt64(out _) || value.TryGetUInt64(out _));

    private static int CodePoints(string text)
    {
        int count = 0;
        foreach (Rune _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    private static bool Matches(Regex pattern, string text)
    {
        try
        {
            return pattern.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false; // a pattern too costly for this value does not accept it
        }
    }

    private static bool HasDuplicates(JsonElement array)
    {
        var buckets = new Dictionary<int, List<JsonElement>>();
        foreach (JsonElement item in array.EnumerateArray())
        {
            int hash = Hash(item);
            if (!buckets.TryGetValue(hash, out List<JsonElement>? bucket))
            {
                buckets[hash] = [item];
                continue;
            }

            if (bucket.Any(other => JsonElement.DeepEquals(other, item)))
            {
                return true;
            }

            bucket.Add(item);
        }

        return false;
    }

    // Equal JSON values hash alike: object members in any order, numbers by value.
    private static int Hash(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!.GetHashCode(StringComparison.Ordinal),
        JsonValueKind.Number => value.TryGetDecimal(out decimal d) ? d.GetHashCode() : value.GetRawText().GetHashCode(StringComparison.Ordinal),
        JsonValueKind.Array => value.EnumerateArray().Aggregate(17, (h, item) => HashCode.Combine(h, Hash(item))),
        JsonValueKind.Object => value.EnumerateObject().Aggregate(
            23, (h, p) => h ^ HashCode.Combine(p.Name.GetHashCode(StringComparison.Ordinal), Hash(p.Value))),
        _ => (int)value.ValueKind,
    };

    private static string Invariant(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}

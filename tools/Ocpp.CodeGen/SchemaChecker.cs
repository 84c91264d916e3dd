using System.Text.Json;

namespace Ocpp.CodeGen;

/// <summary>
/// Checks that a message schema uses only what the generator understands, before any type is built, so that a
/// user's mistake is reported as <c>file: #/pointer: message</c> and not as an exception deep in the generator.
/// </summary>
public static class SchemaChecker
{
    // Keywords that only document or that the generated records do not need (the validator still checks them).
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "$schema", "$id", "id", "title", "description", "$comment", "comment", "javaType", "tsEnumNames", "default", "examples",
        "format", "pattern", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "multipleOf", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties", "additionalItems", "required",
    };

    private static readonly HashSet<string> Structural = new(StringComparer.Ordinal)
    {
        "type", "properties", "additionalProperties", "items", "enum", "$ref", "definitions",
    };

    private static readonly HashSet<string> Types = new(StringComparer.Ordinal) { "object", "array", "string", "integer", "number", "boolean" };

    /// <summary>Returns every problem of one message schema (empty when it can be generated from).</summary>
    /// <param name="m">The schema.</param>
    public static IReadOnlyList<SchemaError> Check(SchemaMessage m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var errors = new List<SchemaError>();
        var root = m.Root;
        var pointer = "#" + m.Pointer;
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(m.File, pointer, "a message schema must be a JSON object"));
            return errors;
        }

        if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "object")
        {
            errors.Add(new(m.File, pointer, "a message schema must have \"type\": \"object\" (an OCPP payload is a JSON object)"));
        }

        Walk(m, root, pointer, errors, []);
        return [.. errors.Distinct()];
    }

    private static void Walk(SchemaMessage m, JsonElement s, string pointer, List<SchemaError> errors, HashSet<string> refStack)
    {
        if (s.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(m.File, pointer, "a schema must be a JSON object"));
            return;
        }

        foreach (var k in s.EnumerateObject())
        {
            var at = SchemaError.Combine(pointer, k.Name);
            if (k.Name.StartsWith("x-", StringComparison.Ordinal) || Annotations.Contains(k.Name))
            {
                if (k.Name == "required" && (k.Value.ValueKind != JsonValueKind.Array || k.Value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String)))
                {
                    errors.Add(new(m.File, at, "must be an array of property names"));
                }

                continue;
            }

            if (!Structural.Contains(k.Name))
            {
                errors.Add(new(m.File, at, $"unsupported keyword '{k.Name}': the generator handles type, properties, required, additionalProperties (true/false), items, enum (strings), $ref (#/definitions/...) and validation-only keywords"));
                continue;
            }

            switch (k.Name)
            {
                case "type":
                    if (k.Value.ValueKind != JsonValueKind.String || !Types.Contains(k.Value.GetString()!))
                    {
                        errors.Add(new(m.File, at, $"unsupported type {k.Value.GetRawText()}: use one of object, array, string, integer, number, boolean"));
                    }

                    break;
                case "properties":
                    if (k.Value.ValueKind != JsonValueKind.Object)
                    {
                        errors.Add(new(m.File, at, "must be an object of schemas"));
                        break;
                    }

                    foreach (var p in k.Value.EnumerateObject())
                    {
                        Walk(m, p.Value, SchemaError.Combine(at, p.Name), errors, refStack);
                    }

                    break;
                case "definitions":
                    if (k.Value.ValueKind != JsonValueKind.Object)
                    {
                        errors.Add(new(m.File, at, "must be an object of schemas"));
                        break;
                    }

                    foreach (var d in k.Value.EnumerateObject())
                    {
                        Walk(m, d.Value, SchemaError.Combine(at, d.Name), errors, refStack);
                    }

                    break;
                case "additionalProperties":
                    if (k.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        errors.Add(new(m.File, at, "unsupported: additionalProperties must be true or false (a schema for extra properties cannot be typed)"));
                    }

                    break;
                case "items":
                    if (k.Value.ValueKind != JsonValueKind.Object)
                    {
                        errors.Add(new(m.File, at, "unsupported: items must be one schema (tuple arrays cannot be typed)"));
                        break;
                    }

                    Walk(m, k.Value, at, errors, refStack);
                    break;
                case "enum":
                    if (k.Value.ValueKind != JsonValueKind.Array || k.Value.GetArrayLength() == 0 || k.Value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
                    {
                        errors.Add(new(m.File, at, "unsupported: enum must be a non-empty array of strings"));
                    }
                    else if (k.Value.EnumerateArray().Select(v => v.GetString()).Distinct(StringComparer.Ordinal).Count() != k.Value.GetArrayLength())
                    {
                        errors.Add(new(m.File, at, "name clash: the enum lists a value twice"));
                    }

                    break;
                case "$ref":
                    CheckRef(m, k.Value, at, errors, refStack);
                    break;
            }
        }

        if (s.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "array" && !s.TryGetProperty("items", out _))
        {
            errors.Add(new(m.File, pointer, "an array schema needs 'items' to be typed"));
        }

        if (s.TryGetProperty("enum", out _) && s.TryGetProperty("type", out var et) && et.ValueKind == JsonValueKind.String && et.GetString() != "string")
        {
            errors.Add(new(m.File, SchemaError.Combine(pointer, "enum"), "unsupported: only string enums can be typed"));
        }

        if (s.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
        {
            var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var p in props.EnumerateObject())
            {
                var csharp = Naming.Pascal(p.Name);
                if (names.TryGetValue(csharp, out var other))
                {
                    errors.Add(new(m.File, SchemaError.Combine(SchemaError.Combine(pointer, "properties"), p.Name), $"name clash: properties '{other}' and '{p.Name}' would both be named {csharp} in C#"));
                }
                else
                {
                    names[csharp] = p.Name;
                }
            }
        }
    }

    private static void CheckRef(SchemaMessage m, JsonElement value, string at, List<SchemaError> errors, HashSet<string> refStack)
    {
        const string Prefix = "#/definitions/";
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new(m.File, at, "$ref must be a string"));
            return;
        }

        var reference = value.GetString()!;
        if (!reference.StartsWith(Prefix, StringComparison.Ordinal) || reference.IndexOf('/', Prefix.Length) >= 0)
        {
            errors.Add(new(m.File, at, $"cannot resolve $ref '{reference}': only references to '#/definitions/<name>' in the same file are supported"));
            return;
        }

        var name = reference[Prefix.Length..];
        if (m.Definitions is not { } defs || defs.ValueKind != JsonValueKind.Object || !defs.TryGetProperty(name, out var target))
        {
            errors.Add(new(m.File, at, $"cannot resolve $ref '{reference}': the file has no definition '{name}'"));
            return;
        }

        if (!refStack.Add(name))
        {
            errors.Add(new(m.File, at, $"unsupported: recursive $ref '{reference}' (a type that contains itself)"));
            return;
        }

        // Follow the reference to find cycles; the definition's own errors are reported where it is defined.
        var ignored = new List<SchemaError>();
        Walk(m, target, "#" + m.Pointer + "/definitions/" + name, ignored, refStack);
        errors.AddRange(ignored.Where(e => e.Message.StartsWith("unsupported: recursive", StringComparison.Ordinal)));
        refStack.Remove(name);
    }
}

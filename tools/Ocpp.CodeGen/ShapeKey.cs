using System.Text;
using System.Text.Json;

namespace Ocpp.CodeGen;

/// <summary>
/// A canonical text for a schema's structure, used to merge identical shapes. Documentation-only keywords
/// (<c>description</c>, <c>javaType</c>, <c>default</c>, <c>comment</c>) are ignored, object keys and
/// <c>required</c> lists are sorted, and <c>$ref</c>s are replaced by the shape they point to.
/// </summary>
public static class ShapeKey
{
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { "description", "javaType", "default", "comment", "$comment", "$id", "$schema", "definitions" };

    /// <summary>Computes the key of <paramref name="schema"/>.</summary>
    /// <param name="schema">A (sub)schema.</param>
    /// <param name="message">The schema file whose <c>definitions</c> resolve <c>$ref</c>s.</param>
    public static string Of(JsonElement schema, SchemaMessage message)
    {
        var sb = new StringBuilder();
        Append(sb, schema, message, 0);
        return sb.ToString();
    }

    /// <summary>Resolves a <c>#/definitions/Name</c> reference inside <paramref name="message"/>.</summary>
    /// <param name="reference">The <c>$ref</c> value.</param>
    /// <param name="message">The schema file.</param>
    public static (string Name, JsonElement Schema) Resolve(string reference, SchemaMessage message)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(message);
        const string Prefix = "#/definitions/";
        if (!reference.StartsWith(Prefix, StringComparison.Ordinal)
            || message.Definitions is not { } defs
            || !defs.TryGetProperty(reference[Prefix.Length..], out var target))
        {
            throw new InvalidDataException($"{message.Id}: cannot resolve $ref '{reference}'.");
        }

        return (reference[Prefix.Length..], target);
    }

    private static void Append(StringBuilder sb, JsonElement e, SchemaMessage message, int depth)
    {
        if (depth > 64)
        {
            throw new InvalidDataException($"{message.Id}: schema nesting too deep (recursive $ref?).");
        }

        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                if (e.TryGetProperty("$ref", out var r))
                {
                    Append(sb, Resolve(r.GetString()!, message).Schema, message, depth + 1);
                    return;
                }

                sb.Append('{');
                foreach (var p in e.EnumerateObject().Where(p => !Ignored.Contains(p.Name)).OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    sb.Append(JsonSerializer.Serialize(p.Name)).Append(':');
                    if (p.Name == "required" && p.Value.ValueKind == JsonValueKind.Array)
                    {
                        sb.Append('[').AppendJoin(',', p.Value.EnumerateArray().Select(x => x.GetRawText()).Order(StringComparer.Ordinal)).Append(']');
                    }
                    else
                    {
                        Append(sb, p.Value, message, depth + 1);
                    }

                    sb.Append(',');
                }

                sb.Append('}');
                return;
            case JsonValueKind.Array:
                sb.Append('[');
                foreach (var item in e.EnumerateArray())
                {
                    Append(sb, item, message, depth + 1);
                    sb.Append(',');
                }

                sb.Append(']');
                return;
            default:
                sb.Append(e.GetRawText());
                return;
        }
    }
}

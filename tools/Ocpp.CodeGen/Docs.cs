using System.Globalization;
using System.Text.Json;

namespace Ocpp.CodeGen;

/// <summary>Builds XML-doc text (already escaped) from schema descriptions and constraints.</summary>
public static partial class Docs
{
    /// <summary>Escapes text for an XML doc comment.</summary>
    /// <param name="text">Plain text.</param>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
    }

    /// <summary>Wraps plain text in <c>&lt;c&gt;</c>.</summary>
    /// <param name="text">Plain text.</param>
    public static string Code(string text) => "<c>" + Escape(text) + "</c>";

    /// <summary>The escaped, normalized <c>description</c> of a schema, or null when it has none.</summary>
    /// <param name="schema">A schema.</param>
    public static string? Description(JsonElement schema)
    {
        if (!schema.TryGetProperty("description", out var d) || d.GetString() is not { } text)
        {
            return null;
        }

        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n').Select(l => l.Trim()).ToList();
        lines = DropDictionaryIds(lines);
        var joined = string.Join("\n", lines).Trim('\n');
        joined = CrossReference().Replace(Unescape(joined), "$2");
        return joined.Length == 0 ? null : BareCrossReference().Replace(Escape(joined), "<c>$1</c>");
    }

    // The OCA schemas prefix many descriptions with their data-dictionary entry: a heading such as "ID_ Token" or
    // "Charging_ Station. Serial_ Number. Serial_ Number" and a "urn:x-oca:ocpp:uid:2:233247" id on the next line.
    // Neither helps a reader of the C# docs (the type names say what the spec calls the type): both lines go.
    private static List<string> DropDictionaryIds(List<string> lines)
    {
        var result = new List<string>(lines.Count);
        foreach (var line in lines)
        {
            if (DictionaryId().IsMatch(line))
            {
                if (result.Count > 0 && result[^1].Length > 0)
                {
                    result.RemoveAt(result.Count - 1);
                }

                continue;
            }

            result.Add(line);
        }

        return result;
    }

    // Some descriptions carry HTML entities (&lt;&lt;...&gt;&gt;): decode them once so they are not escaped twice.
    private static string Unescape(string text) =>
        text.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);

    [System.Text.RegularExpressions.GeneratedRegex(@"^urn:x-[A-Za-z0-9-]+:\S*$")]
    private static partial System.Text.RegularExpressions.Regex DictionaryId();

    // AsciiDoc cross-references of the specification, <<anchor,Text>>: the text is what a reader searches for.
    [System.Text.RegularExpressions.GeneratedRegex(@"<<([^,<>]+),\s*([^<>]+?)>>")]
    private static partial System.Text.RegularExpressions.Regex CrossReference();

    // A cross-reference without text, <<cmn_derunitenumtype>> (matched after escaping): the anchor, as code.
    [System.Text.RegularExpressions.GeneratedRegex(@"&lt;&lt;([A-Za-z0-9_.-]+)&gt;&gt;")]
    private static partial System.Text.RegularExpressions.Regex BareCrossReference();

    /// <summary>Human notes on a property's constraints (length, range, items, default, format).</summary>
    /// <param name="property">The property schema.</param>
    /// <param name="target">The definition it references, if any.</param>
    public static IReadOnlyList<string> Constraints(JsonElement property, JsonElement? target)
    {
        var notes = new List<string>();
        var s = target ?? property;
        Add(notes, s, string.Empty);
        if (s.TryGetProperty("minItems", out var minItems))
        {
            notes.Add($"At least {minItems.GetRawText()} item(s).");
        }

        if (s.TryGetProperty("maxItems", out var maxItems))
        {
            notes.Add($"At most {maxItems.GetRawText()} item(s).");
        }

        if (s.TryGetProperty("items", out var items) && !items.TryGetProperty("$ref", out _))
        {
            Add(notes, items, "Each item: ");
        }

        var def = property.TryGetProperty("default", out var d1) ? d1 : s.TryGetProperty("default", out var d2) ? d2 : (JsonElement?)null;
        if (def is { } dv)
        {
            notes.Add($"Default when absent: {Code(dv.ValueKind == JsonValueKind.String ? dv.GetString()! : dv.GetRawText())}.");
        }

        return notes;
    }

    private static void Add(List<string> notes, JsonElement s, string prefix)
    {
        if (s.TryGetProperty("maxLength", out var maxLength))
        {
            notes.Add($"{prefix}at most {maxLength.GetRawText()} characters.".ToUpperFirst());
        }

        if (s.TryGetProperty("minimum", out var min))
        {
            notes.Add($"{prefix}minimum {min.GetRawText()}.".ToUpperFirst());
        }

        if (s.TryGetProperty("maximum", out var max))
        {
            notes.Add($"{prefix}maximum {max.GetRawText()}.".ToUpperFirst());
        }

        if (s.TryGetProperty("multipleOf", out var mult))
        {
            notes.Add($"{prefix}a multiple of {mult.GetRawText()}.".ToUpperFirst());
        }

        if (s.TryGetProperty("format", out var format))
        {
            notes.Add(format.GetString() switch
            {
                "date-time" => $"{prefix}an RFC 3339 date-time with offset.".ToUpperFirst(),
                var f => $"{prefix}format {Code(f ?? string.Empty)}.".ToUpperFirst(),
            });
        }
    }

    private static string ToUpperFirst(this string s) =>
        s.Length == 0 ? s : char.ToUpper(s[0], CultureInfo.InvariantCulture) + s[1..];
}

namespace Ocpp.CodeGen;

/// <summary>
/// Writes an enum plus its AOT-safe converter: a string switch in both directions, exact wire strings,
/// no case folding, and <c>JsonException</c> for anything unknown.
/// </summary>
public static class EnumEmitter
{
    /// <summary>The C# member names of an enum's wire values (unique, case-insensitively).</summary>
    /// <param name="type">The enum.</param>
    public static IReadOnlyList<string> MemberNames(ModelType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        return [.. type.EnumValues.Select(v => Naming.Unique(Naming.Pascal(v), taken))];
    }

    /// <summary>Writes the enum's file.</summary>
    /// <param name="model">The version.</param>
    /// <param name="type">The enum.</param>
    public static string Emit(VersionModel model, ModelType type)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(type);
        var members = MemberNames(type);
        var converter = type.Name + "JsonConverter";
        var w = new CodeWriter().Header(model.Version);
        w.Line("using System.Text.Json;");
        w.Line("using System.Text.Json.Serialization;");
        w.Line();
        w.Line($"namespace {model.Version.Namespace};");
        w.Line();
        w.Doc(type.Doc, [.. type.Remarks, "Serialized as the exact wire strings; an unknown string fails deserialization with a <see cref=\"JsonException\"/>."]);
        w.Line($"[JsonConverter(typeof({converter}))]");
        w.Line($"public enum {type.Name}");
        w.Open();
        for (var i = 0; i < members.Count; i++)
        {
            if (i > 0)
            {
                w.Line();
            }

            w.Line($"/// <summary>Wire value {Docs.Code(type.EnumValues[i])}.</summary>");
            w.Line(members[i] + ",");
        }

        w.Close();
        w.Line();
        w.Line($"/// <summary>Converts <see cref=\"{type.Name}\"/> from and to its exact wire strings (no reflection, no case folding).</summary>");
        w.Line($"internal sealed class {converter} : JsonConverter<{type.Name}>");
        w.Open();
        w.Line("/// <inheritdoc/>");
        w.Line($"public override {type.Name} Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)");
        w.Open();
        w.Line("if (reader.TokenType != JsonTokenType.String)");
        w.Open();
        w.Line($"throw new JsonException(\"Expected a string for {type.Name}.\");");
        w.Close();
        w.Line();
        w.Line("return reader.GetString() switch");
        w.Open();
        for (var i = 0; i < members.Count; i++)
        {
            w.Line($"{Literal(type.EnumValues[i])} => {type.Name}.{members[i]},");
        }

        w.Line($"_ => throw new JsonException(\"Unknown {type.Name} value.\"),");
        w.Close(";");
        w.Close();
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line($"public override void Write(Utf8JsonWriter writer, {type.Name} value, JsonSerializerOptions options)");
        w.Open();
        w.Line("ArgumentNullException.ThrowIfNull(writer);");
        w.Line("writer.WriteStringValue(value switch");
        w.Open();
        for (var i = 0; i < members.Count; i++)
        {
            w.Line($"{type.Name}.{members[i]} => {Literal(type.EnumValues[i])},");
        }

        w.Line($"_ => throw new JsonException(\"Undefined {type.Name} value.\"),");
        w.Close(");");
        w.Close();
        w.Close();
        return w.ToString();
    }

    /// <summary>A C# string literal for a wire value.</summary>
    /// <param name="value">The value.</param>
    public static string Literal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }
}

namespace Ocpp.CodeGen;

/// <summary>Writes the per-version source-generated <c>JsonSerializerContext</c> and the action catalogue.</summary>
public static class ContextEmitter
{
    /// <summary>Writes <c>V16JsonContext</c> (etc.) listing every message type.</summary>
    /// <param name="model">The version.</param>
    public static string EmitContext(VersionModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var v = model.Version;
        var w = new CodeWriter().Header(v);
        w.Line("using System.Text.Json.Serialization;");
        w.Line();
        w.Line($"namespace {v.Namespace};");
        w.Line();
        w.Doc(
            $"System.Text.Json source-generated metadata for every {Docs.Escape(v.DisplayName)} message: no reflection at run time.",
            [
                "Null optional properties are omitted, unknown properties and nulls in non-nullable properties are rejected,",
                "missing required properties throw, and date-times are written as RFC 3339 (see <see cref=\"global::Ocpp.Rpc.Messages.Serialization.OcppDateTimeOffsetConverter\"/>).",
            ]);
        w.Line("[JsonSourceGenerationOptions(");
        w.Line("    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,");
        w.Line("    RespectNullableAnnotations = true,");
        w.Line("    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,");
        w.Line("    Converters = [typeof(global::Ocpp.Rpc.Messages.Serialization.OcppDateTimeOffsetConverter)])]");
        foreach (var m in model.Messages)
        {
            w.Line($"[JsonSerializable(typeof({m.Name}))]");
        }

        w.Line($"public sealed partial class {v.ContextName} : JsonSerializerContext;");
        return w.ToString();
    }

    /// <summary>Writes <c>V16Actions</c> (etc.): action constants, lists and metadata look-ups.</summary>
    /// <param name="model">The version.</param>
    public static string EmitActions(VersionModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var v = model.Version;
        var context = v.ContextName;
        var w = new CodeWriter().Header(v);
        w.Line("using System.Text.Json.Serialization.Metadata;");
        w.Line();
        w.Line($"namespace {v.Namespace};");
        w.Line();
        w.Doc($"The {Docs.Escape(v.DisplayName)} actions of {Docs.Code(v.SchemaPath)}, with look-ups of their serialization metadata.");
        w.Line($"public static class {v.ActionsName}");
        w.Open();
        foreach (var action in model.Actions)
        {
            w.Line($"/// <summary>The action name {Docs.Code(action)}.</summary>");
            w.Line($"public const string {action} = \"{action}\";");
            w.Line();
        }

        var sends = model.Messages.Where(m => m.Direction == MessageDirection.Send).Select(m => m.Action!).ToList();
        var calls = model.Actions.Except(sends, StringComparer.Ordinal).ToList();
        List(w, "All", "Every action name, sorted ordinally.", model.Actions);
        List(w, "Calls", "The actions answered with a CALLRESULT (request/response pairs), sorted ordinally.", calls);
        List(w, "Sends", "The one-way SEND actions (never answered), sorted ordinally.", sends);

        w.Doc(
            "The metadata of an action's request (or one-way message) payload, or <see langword=\"null\"/> for an unknown action.",
            ["Action names are case-sensitive."]);
        w.Line("/// <param name=\"action\">The action name.</param>");
        w.Line("public static JsonTypeInfo? GetRequestTypeInfo(string action) => action switch");
        w.Open();
        foreach (var m in model.ActionMessages.Where(m => m.Direction != MessageDirection.Response))
        {
            w.Line($"{m.Action} => {context}.Default.{m.Name},");
        }

        w.Line("_ => null,");
        w.Close(";");
        w.Line();
        w.Doc(
            "The metadata of an action's response payload, or <see langword=\"null\"/> for an unknown action or a one-way message.",
            ["Action names are case-sensitive."]);
        w.Line("/// <param name=\"action\">The action name.</param>");
        w.Line("public static JsonTypeInfo? GetResponseTypeInfo(string action) => action switch");
        w.Open();
        foreach (var m in model.ActionMessages.Where(m => m.Direction == MessageDirection.Response))
        {
            w.Line($"{m.Action} => {context}.Default.{m.Name},");
        }

        w.Line("_ => null,");
        w.Close(";");
        if (!v.IsBuiltIn)
        {
            EmitSchemas(w, model);
        }

        w.Close();
        return w.ToString();
    }

    // The schemas as compact JSON, so that strict mode validates with exactly what the types were generated from.
    private static void EmitSchemas(CodeWriter w, VersionModel model)
    {
        var v = model.Version;
        const string Validation = "global::Ocpp.Rpc.Validation.";
        w.Line();
        w.Doc(
            "The schemas of the actions above, for strict mode (<c>OcppSchemaValidatorOptions.WithCustomSchemas</c>).",
            ["Each is the schema text the types were generated from, without indentation."]);
        Schemas(w, $"{Validation}OcppCustomSchema", "CustomSchemas", model.ActionMessages, m =>
            $"new({v.ProtocolExpression}, {EnumEmitter.Literal(m.Action!)}, {Validation}OcppPayloadKind.{(m.Direction == MessageDirection.Response ? "Response" : "Request")}, {Literal(m)})");
        w.Line();
        w.Doc(
            "The schemas of the vendor DataTransfer payloads (the <c>data</c> field), for strict mode (<c>OcppSchemaValidatorOptions.WithDataTransferSchemas</c>).",
            ["Each is the schema text the types were generated from, without indentation."]);
        Schemas(w, $"{Validation}OcppDataTransferSchema", "DataTransferSchemas", [.. model.Messages.Where(m => m.DataTransfer is not null)], m =>
            $"new({v.ProtocolExpression}, {EnumEmitter.Literal(m.DataTransfer!.VendorId)}, {EnumEmitter.Literal(m.DataTransfer.MessageId)}, {Validation}OcppPayloadKind.{(m.Direction == MessageDirection.Response ? "Response" : "Request")}, {Literal(m)})");
    }

    private static void Schemas(CodeWriter w, string type, string name, IReadOnlyList<ModelType> messages, Func<ModelType, string> entry)
    {
        if (messages.Count == 0)
        {
            w.Line($"public static IReadOnlyList<{type}> {name} {{ get; }} = [];");
            return;
        }

        w.Line($"public static IReadOnlyList<{type}> {name} {{ get; }} =");
        w.Line("[");
        foreach (var m in messages)
        {
            w.Line("    " + entry(m) + ",");
        }

        w.Line("];");
    }

    private static string Literal(ModelType m)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            m.Schema!.Root.WriteTo(writer);
        }

        var json = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        var sb = new System.Text.StringBuilder("\"");
        foreach (var c in json)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                < ' ' => "\\u" + ((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }

    private static void List(CodeWriter w, string name, string doc, IReadOnlyList<string> actions)
    {
        w.Doc(doc);
        if (actions.Count == 0)
        {
            w.Line($"public static IReadOnlyList<string> {name} {{ get; }} = [];");
            w.Line();
            return;
        }

        w.Line($"public static IReadOnlyList<string> {name} {{ get; }} =");
        w.Line("[");
        foreach (var a in actions)
        {
            w.Line("    " + a + ",");
        }

        w.Line("];");
        w.Line();
    }
}

namespace Ocpp.CodeGen;

/// <summary>Writes C# records for message payloads and shared object types.</summary>
public static class RecordEmitter
{
    /// <summary>Writes one action's file: its request and response records (or its one-way message).</summary>
    /// <param name="model">The version.</param>
    /// <param name="messages">The action's message types.</param>
    public static string EmitAction(VersionModel model, IReadOnlyList<ModelType> messages)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(messages);
        var w = Start(model.Version);
        for (var i = 0; i < messages.Count; i++)
        {
            if (i > 0)
            {
                w.Line();
            }

            EmitRecord(w, model.Version, messages[i], messages);
        }

        return w.ToString();
    }

    /// <summary>Writes one shared object type's file.</summary>
    /// <param name="model">The version.</param>
    /// <param name="type">The type.</param>
    public static string EmitType(VersionModel model, ModelType type)
    {
        ArgumentNullException.ThrowIfNull(model);
        var w = Start(model.Version);
        EmitRecord(w, model.Version, type, []);
        return w.ToString();
    }

    private static CodeWriter Start(OcppVersion version)
    {
        var w = new CodeWriter().Header(version);
        w.Line("using System.Text.Json;");
        w.Line("using System.Text.Json.Serialization;");
        w.Line("using System.Text.Json.Serialization.Metadata;");
        w.Line();
        w.Line($"namespace {version.Namespace};");
        w.Line();
        return w;
    }

    private static void EmitRecord(CodeWriter w, OcppVersion version, ModelType type, IReadOnlyList<ModelType> siblings)
    {
        w.Doc(type.Doc, type.Remarks);
        var context = version.ContextName;
        switch (type.Kind, type.Direction)
        {
            case (ModelKind.Message, MessageDirection.Request) when type.DataTransfer is { } key:
                var dataResponse = siblings.Single(s => s.Direction == MessageDirection.Response).Name;
                w.Line($"public sealed record {type.Name} : global::Ocpp.Rpc.IOcppDataTransferRequest<{type.Name}, {dataResponse}>");
                w.Open();
                w.Line($"/// <summary>The DataTransfer <c>vendorId</c>, {Docs.Code(key.VendorId)}.</summary>");
                w.Line($"public static string VendorId => {EnumEmitter.Literal(key.VendorId)};");
                w.Line();
                w.Line($"/// <summary>The DataTransfer <c>messageId</c>, {Docs.Code(key.MessageId)}.</summary>");
                w.Line($"public static string MessageId => {EnumEmitter.Literal(key.MessageId)};");
                w.Line();
                w.Line($"/// <summary>The subprotocol, {version.ProtocolDoc}.</summary>");
                w.Line($"public static string Protocol => {version.ProtocolExpression};");
                w.Line();
                w.Line($"/// <summary>Source-generated serialization metadata for <see cref=\"{type.Name}\"/>.</summary>");
                w.Line($"public static JsonTypeInfo<{type.Name}> RequestTypeInfo => {context}.Default.{type.Name};");
                w.Line();
                w.Line($"/// <summary>Source-generated serialization metadata for <see cref=\"{dataResponse}\"/>.</summary>");
                w.Line($"public static JsonTypeInfo<{dataResponse}> ResponseTypeInfo => {context}.Default.{dataResponse};");
                break;
            case (ModelKind.Message, MessageDirection.Request):
                var response = siblings.Single(s => s.Direction == MessageDirection.Response).Name;
                w.Line($"public sealed record {type.Name} : global::Ocpp.Rpc.IOcppRequest<{type.Name}, {response}>");
                w.Open();
                EmitStatics(w, version, type);
                w.Line($"/// <summary>Source-generated serialization metadata for <see cref=\"{type.Name}\"/>.</summary>");
                w.Line($"public static JsonTypeInfo<{type.Name}> RequestTypeInfo => {context}.Default.{type.Name};");
                w.Line();
                w.Line($"/// <summary>Source-generated serialization metadata for <see cref=\"{response}\"/>.</summary>");
                w.Line($"public static JsonTypeInfo<{response}> ResponseTypeInfo => {context}.Default.{response};");
                break;
            case (ModelKind.Message, MessageDirection.Send):
                w.Line($"public sealed record {type.Name} : global::Ocpp.Rpc.IOcppSendMessage<{type.Name}>");
                w.Open();
                EmitStatics(w, version, type);
                w.Line($"/// <summary>Source-generated serialization metadata for <see cref=\"{type.Name}\"/>.</summary>");
                w.Line($"public static JsonTypeInfo<{type.Name}> MessageTypeInfo => {context}.Default.{type.Name};");
                break;
            default:
                w.Line($"public sealed record {type.Name}");
                w.Open();
                break;
        }

        var first = type.Kind != ModelKind.Message || type.Direction == MessageDirection.Response;
        foreach (var p in type.Properties)
        {
            if (!first)
            {
                w.Line();
            }

            first = false;
            w.Doc(p.Doc, p.Remarks);
            w.Line($"[JsonPropertyName(\"{p.WireName}\")]");
            var csType = p.Type.CSharp + (p.Required ? string.Empty : "?");
            w.Line($"public {(p.Required ? "required " : string.Empty)}{csType} {p.Name} {{ get; init; }}");
        }

        if (type.IsOpen)
        {
            if (!first)
            {
                w.Line();
            }

            w.Doc("Properties the schema does not define (vendor extensions); kept so that they round-trip unchanged.", ["Settable rather than init-only because System.Text.Json cannot fill init-only extension data."]);
            w.Line("[JsonExtensionData]");
            w.Line("public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }");
        }

        w.Close();
    }

    private static void EmitStatics(CodeWriter w, OcppVersion version, ModelType type)
    {
        w.Line($"/// <summary>The action name, <c>{type.Action}</c>.</summary>");
        w.Line($"public static string Action => \"{type.Action}\";");
        w.Line();
        w.Line($"/// <summary>The subprotocol, {version.ProtocolDoc}.</summary>");
        w.Line($"public static string Protocol => {version.ProtocolExpression};");
        w.Line();
    }
}

using System.Text.Json;

namespace Ocpp.CodeGen;

/// <summary>
/// Turns named schemas into <see cref="ModelType"/>s: docs, enum values, properties and their C# types
/// (<c>integer</c> to <c>int</c> or <c>long</c>, <c>number</c> to <c>decimal</c>, <c>date-time</c> to <c>DateTimeOffset</c>, ...).
/// </summary>
public sealed class ModelFactory
{
    private static readonly HashSet<string> RecordMembers = new(StringComparer.OrdinalIgnoreCase)
    {
        "EqualityContract", "Equals", "GetHashCode", "ToString", "Deconstruct", "PrintMembers", "GetType", "MemberwiseClone", "Clone", "AdditionalProperties",
    };

    private static readonly HashSet<string> MessageMembers = new(StringComparer.OrdinalIgnoreCase)
    {
        "Action", "Protocol", "RequestTypeInfo", "ResponseTypeInfo", "MessageTypeInfo",
    };

    private static readonly HashSet<string> DataTransferMembers = new(StringComparer.OrdinalIgnoreCase)
    {
        "VendorId", "MessageId", "Protocol", "RequestTypeInfo", "ResponseTypeInfo",
    };

    // The schema text of the open object (customData) is a note about schema generation, so it moves to remarks.
    private const string OpenObjectDoc = "An open object for vendor-specific data: the properties the schema names, plus any others, which round-trip through <see cref=\"AdditionalProperties\"/>.";
    private const string OpenPropertyDoc = "Vendor-specific data; properties not named by the schema round-trip unchanged.";

    private readonly OcppVersion _version;
    private readonly Func<JsonElement, string?, SchemaMessage, string> _resolveName;

    /// <summary>Creates a factory.</summary>
    /// <param name="version">The version (for docs).</param>
    /// <param name="resolveName">The generated name of an enum or object schema, given its definition name (null when inlined) and file.</param>
    public ModelFactory(OcppVersion version, Func<JsonElement, string?, SchemaMessage, string> resolveName)
    {
        _version = version;
        _resolveName = resolveName;
    }

    /// <summary>Builds a shared record or enum.</summary>
    /// <param name="name">Its generated name.</param>
    /// <param name="definitionName">Its schema definition name, or null when inlined.</param>
    /// <param name="path">Where it was first seen.</param>
    /// <param name="schema">Its schema.</param>
    /// <param name="message">The schema file it was first seen in.</param>
    /// <param name="paths">Every place it is used.</param>
    public ModelType BuildType(string name, string? definitionName, string path, JsonElement schema, SchemaMessage message, IReadOnlyList<string> paths)
    {
        var description = Docs.Description(schema);
        var origin = definitionName is null ? path : message.Label + "#" + definitionName;
        var fallback = definitionName is null
            ? $"{Docs.Code(name)}: an {_version.DisplayName} {(TypeModelBuilder.IsEnum(schema) ? "enumeration" : "object")} that the official schemas inline; "
                + $"the code generator names it and merges its identical copies. Used at {string.Join(", ", paths.Select(Docs.Code))}."
            : $"The {_version.DisplayName} {Docs.Code(definitionName)} {(TypeModelBuilder.IsEnum(schema) ? "enumeration" : "object")}.";
        if (TypeModelBuilder.IsEnum(schema))
        {
            return new ModelType
            {
                Name = name,
                Kind = ModelKind.Enum,
                Doc = description ?? fallback,
                Remarks = description is null ? [] : [fallback],
                EnumValues = [.. schema.GetProperty("enum").EnumerateArray().Select(v => v.GetString()!)],
                Origin = origin,
            };
        }

        var open = TypeModelBuilder.IsOpen(schema);
        var type = new ModelType
        {
            Name = name,
            Kind = ModelKind.Object,
            Doc = open ? OpenObjectDoc : description ?? fallback,
            Remarks = open ? [.. new[] { description, fallback }.OfType<string>()] : description is null ? [] : [fallback],
            IsOpen = open,
            Origin = origin,
        };
        type.Properties = BuildProperties(schema, path, message, type.Name, isMessage: false);
        return type;
    }

    /// <summary>Builds a message record.</summary>
    /// <param name="name">Its generated name.</param>
    /// <param name="m">Its schema.</param>
    public ModelType BuildMessage(string name, SchemaMessage m)
    {
        var kind = m.Direction switch
        {
            MessageDirection.Request => "request (CALL payload)",
            MessageDirection.Response => "response (CALLRESULT payload)",
            _ => "one-way message (SEND payload, never answered)",
        };
        var description = Docs.Description(m.Root);
        var doc = m.DataTransfer is { } key
            ? $"The {_version.DisplayName} DataTransfer {Docs.Code(key.MessageId)} of vendor {Docs.Code(key.VendorId)}: the {Docs.Code("data")} of the {(m.Direction == MessageDirection.Request ? "request (CALL)" : "response (CALLRESULT)")}."
            : $"The {_version.DisplayName} {Docs.Code(m.Action)} {kind}.";
        var type = new ModelType
        {
            Name = name,
            Kind = ModelKind.Message,
            Doc = doc,
            DataTransfer = m.DataTransfer,
            Schema = m,
            Remarks = description is null ? [] : [description],
            Action = m.Action,
            Direction = m.Direction,
            IsOpen = TypeModelBuilder.IsOpen(m.Root),
            Origin = m.Label,
        };
        type.Properties = BuildProperties(m.Root, m.Label, m, name, isMessage: m.DataTransfer is null, isDataTransfer: m.DataTransfer is not null);
        return type;
    }

    private List<ModelProperty> BuildProperties(JsonElement schema, string path, SchemaMessage m, string typeName, bool isMessage, bool isDataTransfer = false)
    {
        var result = new List<ModelProperty>();
        if (!schema.TryGetProperty("properties", out var props))
        {
            return result;
        }

        var required = schema.TryGetProperty("required", out var req)
            ? req.EnumerateArray().Select(x => x.GetString()!).ToHashSet(StringComparer.Ordinal)
            : [];
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { typeName };
        foreach (var p in props.EnumerateObject())
        {
            var name = Naming.Pascal(p.Name);
            var remarks = new List<string>();
            if (RecordMembers.Contains(name) || (isMessage && MessageMembers.Contains(name)) || (isDataTransfer && DataTransferMembers.Contains(name)) || string.Equals(name, typeName, StringComparison.OrdinalIgnoreCase))
            {
                remarks.Add($"Named {Docs.Code(name + "Value")} because {Docs.Code(name)} is taken by another member of the type.");
                name += "Value";
            }

            name = Naming.Unique(name, taken);
            var type = Resolve(p.Value, path + "/" + p.Name, m);
            var target = p.Value.TryGetProperty("$ref", out var r) ? ShapeKey.Resolve(r.GetString()!, m).Schema : (JsonElement?)null;
            var doc = Docs.Description(p.Value)
                ?? (target is { } t ? (TypeModelBuilder.IsObject(t) && TypeModelBuilder.IsOpen(t) ? OpenPropertyDoc : Docs.Description(t)) : null)
                ?? (type is NamedRef named ? $"The {Docs.Code(p.Name)} field: a <see cref=\"{named.Name}\"/>." : $"The {Docs.Code(p.Name)} field.");
            remarks.AddRange(Docs.Constraints(p.Value, target));
            result.Add(new ModelProperty(p.Name, name, type, required.Contains(p.Name), doc, remarks));
        }

        return result;
    }

    private TypeRef Resolve(JsonElement s, string path, SchemaMessage m)
    {
        if (s.TryGetProperty("$ref", out var r))
        {
            var (name, def) = ShapeKey.Resolve(r.GetString()!, m);
            if (TypeModelBuilder.IsEnum(def) || TypeModelBuilder.IsObject(def))
            {
                return new NamedRef(_resolveName(def, name, m), TypeModelBuilder.IsEnum(def));
            }

            return Resolve(def, path, m);
        }

        if (TypeModelBuilder.IsEnum(s) || TypeModelBuilder.IsObject(s))
        {
            return new NamedRef(_resolveName(s, null, m), TypeModelBuilder.IsEnum(s));
        }

        var type = s.TryGetProperty("type", out var t) ? t.GetString() : null;
        return type switch
        {
            "array" => new ArrayRef(Resolve(s.GetProperty("items"), path, m)),
            "string" when s.TryGetProperty("format", out var f) && f.GetString() == "date-time" => PrimitiveRef.DateTime,
            "string" => PrimitiveRef.String,
            "integer" => FitsInt(s) ? PrimitiveRef.Int : PrimitiveRef.Long,
            "number" => PrimitiveRef.Decimal,
            "boolean" => PrimitiveRef.Bool,
            null => PrimitiveRef.Any,
            _ => throw new SchemaException(m.File, "#" + m.Pointer, $"unsupported schema at {path}: {s.GetRawText()}"),
        };
    }

    private static bool FitsInt(JsonElement s)
    {
        static bool InRange(JsonElement s, string keyword) =>
            !s.TryGetProperty(keyword, out var v) || (v.TryGetInt64(out var l) && l is >= int.MinValue and <= int.MaxValue);
        return InRange(s, "minimum") && InRange(s, "maximum");
    }
}

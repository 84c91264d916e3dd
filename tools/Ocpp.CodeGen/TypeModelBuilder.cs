using System.Text.Json;

namespace Ocpp.CodeGen;

/// <summary>
/// Builds the type model of one version: finds every enum and object (named definitions and inlined shapes),
/// merges identical shapes, names them deterministically and resolves every property's C# type.
/// </summary>
public sealed class TypeModelBuilder
{
    private static readonly HashSet<string> RecordMembers = new(StringComparer.OrdinalIgnoreCase)
    {
        "EqualityContract", "Equals", "GetHashCode", "ToString", "Deconstruct", "PrintMembers", "GetType", "MemberwiseClone", "Clone", "AdditionalProperties",
    };

    private static readonly HashSet<string> MessageMembers = new(StringComparer.OrdinalIgnoreCase)
    {
        "Action", "Protocol", "RequestTypeInfo", "ResponseTypeInfo", "MessageTypeInfo",
    };

    // The schema text of the open object (customData) is a note about schema generation, so it moves to remarks.
    private const string OpenObjectDoc = "An open object for vendor-specific data: the properties the schema names, plus any others, which round-trip through <see cref=\"AdditionalProperties\"/>.";
    private const string OpenPropertyDoc = "Vendor-specific data; properties not named by the schema round-trip unchanged.";

    private readonly OcppVersion _version;
    private readonly IReadOnlyList<SchemaMessage> _messages;
    private readonly List<Occurrence> _occurrences = [];
    private readonly HashSet<string> _visitedDefinitions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _namedTypes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _inlineTypes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _taken = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a builder for one version's schemas.</summary>
    /// <param name="version">The version.</param>
    /// <param name="messages">Its schemas, as loaded by <see cref="SchemaLoader"/>.</param>
    public TypeModelBuilder(OcppVersion version, IReadOnlyList<SchemaMessage> messages)
    {
        _version = version;
        _messages = messages;
    }

    /// <summary>The C# name of a message record.</summary>
    /// <param name="action">The action.</param>
    /// <param name="direction">The direction.</param>
    public static string MessageTypeName(string action, MessageDirection direction) => action + direction switch
    {
        MessageDirection.Request => "Request",
        MessageDirection.Response => "Response",
        _ => "Message",
    };

    /// <summary>Builds the model.</summary>
    public VersionModel Build()
    {
        foreach (var m in _messages)
        {
            _taken.Add(MessageTypeName(m.Action, m.Direction));
            VisitProperties(m.Root, m.Label, m);
        }

        _taken.Add(_version.Prefix + "JsonContext");
        _taken.Add(_version.Prefix + "Actions");
        NameDefinitions();
        NameInlineShapes();

        var types = new List<ModelType>();
        foreach (var group in _occurrences.GroupBy(o => o.TypeName!, StringComparer.Ordinal))
        {
            types.Add(BuildType(group.First(), [.. group.Select(o => o.Path).Distinct(StringComparer.Ordinal)]));
        }

        var messages = _messages.Select(BuildMessage).ToList();
        return new VersionModel(_version, messages, [.. types.OrderBy(t => t.Name, StringComparer.Ordinal)]);
    }

    private void VisitProperties(JsonElement objectSchema, string path, SchemaMessage m)
    {
        if (!objectSchema.TryGetProperty("properties", out var props))
        {
            return;
        }

        foreach (var p in props.EnumerateObject())
        {
            Visit(p.Value, path + "/" + p.Name, m);
        }
    }

    private void Visit(JsonElement s, string path, SchemaMessage m)
    {
        if (s.TryGetProperty("$ref", out var r))
        {
            var (name, def) = ShapeKey.Resolve(r.GetString()!, m);
            if (IsEnum(def) || IsObject(def))
            {
                _occurrences.Add(new Occurrence(name, path, ShapeKey.Of(def, m), def, m));
                if (_visitedDefinitions.Add(m.Id + "#" + name))
                {
                    VisitProperties(def, path, m);
                    VisitItems(def, path, m);
                }
            }

            return;
        }

        if (IsEnum(s) || IsObject(s))
        {
            _occurrences.Add(new Occurrence(null, path, ShapeKey.Of(s, m), s, m));
        }

        VisitProperties(s, path, m);
        VisitItems(s, path, m);
    }

    private void VisitItems(JsonElement s, string path, SchemaMessage m)
    {
        if (s.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Object)
        {
            Visit(items, path, m);
        }
    }

    private void NameDefinitions()
    {
        foreach (var byName in _occurrences.Where(o => o.DefinitionName is not null)
                     .GroupBy(o => o.DefinitionName!, StringComparer.Ordinal)
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var first = true;
            foreach (var byShape in byName.GroupBy(o => o.Key, StringComparer.Ordinal))
            {
                // Same name, different shape (not the case in the shipped schemas): the first keeps the name,
                // the others are prefixed with the action they first appear in.
                var preferred = first ? byName.Key : byShape.First().Message.Action + byName.Key;
                first = false;
                var name = Naming.Unique(preferred, _taken);
                _namedTypes[byName.Key + "\n" + byShape.Key] = name;
                foreach (var o in byShape)
                {
                    o.TypeName = name;
                }
            }
        }
    }

    private void NameInlineShapes()
    {
        var groups = _occurrences.Where(o => o.DefinitionName is null).GroupBy(o => o.Key, StringComparer.Ordinal).ToList();

        // Fallback names: the property name, qualified by its parent when several shapes would claim it.
        var shortNames = groups.ToDictionary(g => g.Key, g => Naming.Pascal(LastSegment(g.First().Path)), StringComparer.Ordinal);
        var claims = shortNames.Values.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
        foreach (var group in groups)
        {
            string? preferred = null;
            if (_version.Prefix == "V16")
            {
                preferred = group.Select(o => V16InlineNames.ByPath.GetValueOrDefault(o.Path)).FirstOrDefault(n => n is not null);
            }

            if (preferred is null)
            {
                var shortName = shortNames[group.Key];
                preferred = claims[shortName] == 1 && !_taken.Contains(shortName)
                    ? shortName
                    : Naming.Pascal(ParentSegment(group.First())) + shortName;
            }

            var name = Naming.Unique(preferred, _taken);
            _inlineTypes[group.Key] = name;
            foreach (var o in group)
            {
                o.TypeName = name;
            }
        }
    }

    private static string LastSegment(string path) => path[(path.LastIndexOf('/') + 1)..];

    private static string ParentSegment(Occurrence o)
    {
        var parts = o.Path.Split('/');
        return parts.Length > 2 ? parts[^2] : o.Message.Action;
    }

    private ModelType BuildType(Occurrence o, IReadOnlyList<string> paths)
    {
        var description = Docs.Description(o.Schema);
        var origin = o.DefinitionName is null ? o.Path : o.Message.Label + "#" + o.DefinitionName;
        var fallback = o.DefinitionName is null
            ? $"{Docs.Code(o.TypeName!)}: an {_version.DisplayName} {(IsEnum(o.Schema) ? "enumeration" : "object")} that the official schemas inline; "
                + $"the code generator names it and merges its identical copies. Used at {string.Join(", ", paths.Select(Docs.Code))}."
            : $"The {_version.DisplayName} {Docs.Code(o.DefinitionName)} {(IsEnum(o.Schema) ? "enumeration" : "object")}.";
        if (IsEnum(o.Schema))
        {
            return new ModelType
            {
                Name = o.TypeName!,
                Kind = ModelKind.Enum,
                Doc = description ?? fallback,
                Remarks = description is null ? [] : [fallback],
                EnumValues = [.. o.Schema.GetProperty("enum").EnumerateArray().Select(v => v.GetString()!)],
                Origin = origin,
            };
        }

        var open = IsOpen(o.Schema);
        var type = new ModelType
        {
            Name = o.TypeName!,
            Kind = ModelKind.Object,
            Doc = open ? OpenObjectDoc : description ?? fallback,
            Remarks = open ? [.. new[] { description, fallback }.OfType<string>()] : description is null ? [] : [fallback],
            IsOpen = open,
            Origin = origin,
        };
        type.Properties = BuildProperties(o.Schema, o.Path, o.Message, type.Name, isMessage: false);
        return type;
    }

    private ModelType BuildMessage(SchemaMessage m)
    {
        var name = MessageTypeName(m.Action, m.Direction);
        var kind = m.Direction switch
        {
            MessageDirection.Request => "request (CALL payload)",
            MessageDirection.Response => "response (CALLRESULT payload)",
            _ => "one-way message (SEND payload, never answered)",
        };
        var description = Docs.Description(m.Root);
        var type = new ModelType
        {
            Name = name,
            Kind = ModelKind.Message,
            Doc = $"The {_version.DisplayName} {Docs.Code(m.Action)} {kind}.",
            Remarks = description is null ? [] : [description],
            Action = m.Action,
            Direction = m.Direction,
            IsOpen = IsOpen(m.Root),
            Origin = m.Label,
        };
        type.Properties = BuildProperties(m.Root, m.Label, m, name, isMessage: true);
        return type;
    }

    private List<ModelProperty> BuildProperties(JsonElement schema, string path, SchemaMessage m, string typeName, bool isMessage)
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
            if (RecordMembers.Contains(name) || (isMessage && MessageMembers.Contains(name)) || string.Equals(name, typeName, StringComparison.OrdinalIgnoreCase))
            {
                remarks.Add($"Named {Docs.Code(name + "Value")} because {Docs.Code(name)} is taken by another member of the type.");
                name += "Value";
            }

            name = Naming.Unique(name, taken);
            var type = Resolve(p.Value, path + "/" + p.Name, m);
            var target = p.Value.TryGetProperty("$ref", out var r) ? ShapeKey.Resolve(r.GetString()!, m).Schema : (JsonElement?)null;
            var doc = Docs.Description(p.Value)
                ?? (target is { } t ? (IsObject(t) && IsOpen(t) ? OpenPropertyDoc : Docs.Description(t)) : null)
                ?? $"The {Docs.Code(p.Name)} field.";
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
            if (IsEnum(def) || IsObject(def))
            {
                return new NamedRef(_namedTypes[name + "\n" + ShapeKey.Of(def, m)], IsEnum(def));
            }

            return Resolve(def, path, m);
        }

        if (IsEnum(s) || IsObject(s))
        {
            return new NamedRef(_inlineTypes[ShapeKey.Of(s, m)], IsEnum(s));
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
            _ => throw new InvalidDataException($"{m.Id}: unsupported schema at {path}: {s.GetRawText()}"),
        };
    }

    private static bool FitsInt(JsonElement s)
    {
        static bool InRange(JsonElement s, string keyword) =>
            !s.TryGetProperty(keyword, out var v) || (v.TryGetInt64(out var l) && l is >= int.MinValue and <= int.MaxValue);
        return InRange(s, "minimum") && InRange(s, "maximum");
    }

    private static bool IsEnum(JsonElement s) => s.TryGetProperty("enum", out _);

    private static bool IsObject(JsonElement s) => s.TryGetProperty("type", out var t) && t.GetString() == "object";

    private static bool IsOpen(JsonElement s) =>
        !s.TryGetProperty("additionalProperties", out var a) || a.ValueKind != JsonValueKind.False;

    private sealed class Occurrence(string? definitionName, string path, string key, JsonElement schema, SchemaMessage message)
    {
        public string? DefinitionName { get; } = definitionName;

        public string Path { get; } = path;

        public string Key { get; } = key;

        public JsonElement Schema { get; } = schema;

        public SchemaMessage Message { get; } = message;

        public string? TypeName { get; set; }
    }
}

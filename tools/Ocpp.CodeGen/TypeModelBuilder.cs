using System.Text.Json;

namespace Ocpp.CodeGen;

/// <summary>
/// Builds the type model of one version: finds every enum and object (named definitions and inlined shapes),
/// merges identical shapes and names them deterministically; <see cref="ModelFactory"/> then builds the types.
/// </summary>
public sealed class TypeModelBuilder
{
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

        _taken.Add(_version.ContextName);
        _taken.Add(_version.ActionsName);
        NameDefinitions();
        NameInlineShapes();

        var factory = new ModelFactory(_version, ResolveName);
        var types = new List<ModelType>();
        foreach (var group in _occurrences.GroupBy(o => o.TypeName!, StringComparer.Ordinal))
        {
            var o = group.First();
            types.Add(factory.BuildType(o.TypeName!, o.DefinitionName, o.Path, o.Schema, o.Message, [.. group.Select(x => x.Path).Distinct(StringComparer.Ordinal)]));
        }

        var messages = _messages.Select(m => factory.BuildMessage(MessageTypeName(m.Action, m.Direction), m)).ToList();
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
            if (_version.IsBuiltIn && _version.Prefix == "V16")
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

    // The generated name of an enum or object schema: a named definition (by name and shape) or an inlined shape.
    private string ResolveName(JsonElement schema, string? definitionName, SchemaMessage m) =>
        definitionName is null ? _inlineTypes[ShapeKey.Of(schema, m)] : _namedTypes[definitionName + "\n" + ShapeKey.Of(schema, m)];

    internal static bool IsEnum(JsonElement s) => s.TryGetProperty("enum", out _);

    internal static bool IsObject(JsonElement s) => s.TryGetProperty("type", out var t) && t.GetString() == "object";

    internal static bool IsOpen(JsonElement s) =>
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

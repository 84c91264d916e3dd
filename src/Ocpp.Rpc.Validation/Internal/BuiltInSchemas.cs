using System.Collections.Frozen;
using System.Text;
using System.Text.Json;

namespace Ocpp.Rpc.Validation.Internal;

/// <summary>
/// One embedded schema file (an array of schemas) indexed by action and kind. The file is kept as UTF-8 bytes;
/// a schema's text is cut out only when that schema is compiled.
/// </summary>
internal sealed class BuiltInSchemaSet
{
    private readonly byte[] _utf8;
    private readonly FrozenDictionary<(string Action, OcppPayloadKind Kind), Range> _entries;

    private BuiltInSchemaSet(string protocol, byte[] utf8, FrozenDictionary<(string Action, OcppPayloadKind Kind), Range> entries)
    {
        Protocol = protocol;
        _utf8 = utf8;
        _entries = entries;
        Actions = entries.Keys.Select(k => k.Action).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    public string Protocol { get; }

    /// <summary>Every action with at least one schema, ordinal order.</summary>
    public IReadOnlyList<string> Actions { get; }

    public IEnumerable<(string Action, OcppPayloadKind Kind)> Keys => _entries.Keys;

    public bool Contains(string action, OcppPayloadKind kind) => _entries.ContainsKey((action, kind));

    public string? GetSchemaText(string action, OcppPayloadKind kind) =>
        _entries.TryGetValue((action, kind), out Range range) ? Encoding.UTF8.GetString(_utf8.AsSpan(range)) : null;

    /// <summary>Reads the schema array, taking action and kind from each <c>$id</c>.</summary>
    internal static BuiltInSchemaSet Load(string protocol, byte[] utf8)
    {
        var entries = new Dictionary<(string, OcppPayloadKind), Range>();
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            throw new InvalidDataException($"The {protocol} schema file is not a JSON array.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            int start = (int)reader.TokenStartIndex;
            string? id = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isId = reader.ValueTextEquals("$id"u8);
                reader.Read();
                if (isId && reader.TokenType == JsonTokenType.String)
                {
                    id = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }

            int end = (int)reader.BytesConsumed;
            (string action, OcppPayloadKind kind) = ParseId(protocol, id);
            if (!entries.TryAdd((action, kind), start..end))
            {
                throw new InvalidDataException($"The {protocol} schema file has two schemas for {action} {kind}.");
            }
        }

        return new BuiltInSchemaSet(protocol, utf8, entries.ToFrozenDictionary());
    }

    /// <summary>
    /// <c>urn:Authorize.req</c> / <c>urn:Authorize.conf</c> (1.6, 2.0.1) or <c>urn:AuthorizeRequest</c> / <c>urn:AuthorizeResponse</c>
    /// (2.1); a bare <c>urn:NotifyPeriodicEventStream</c> (2.1 SEND) is a request.
    /// </summary>
    internal static (string Action, OcppPayloadKind Kind) ParseId(string protocol, string? id)
    {
        const string Prefix = "urn:";
        if (id is not null && id.StartsWith(Prefix, StringComparison.Ordinal))
        {
            string name = id[Prefix.Length..];
            foreach ((string suffix, OcppPayloadKind kind) in Suffixes)
            {
                if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal))
                {
                    return (name[..^suffix.Length], kind);
                }
            }

            // 2.1 NotifyPeriodicEventStream is a SEND (never answered): its one schema has no suffix.
            if (name.Length > 0 && name.All(char.IsAsciiLetterOrDigit))
            {
                return (name, OcppPayloadKind.Request);
            }
        }

        throw new InvalidDataException($"Unexpected schema $id '{id}' in the {protocol} schema file.");
    }

    private static readonly (string Suffix, OcppPayloadKind Kind)[] Suffixes =
    [
        (".req", OcppPayloadKind.Request),
        (".conf", OcppPayloadKind.Response),
        ("Request", OcppPayloadKind.Request),
        ("Response", OcppPayloadKind.Response),
    ];
}

/// <summary>The three embedded schema files, each loaded and indexed once per process on first use.</summary>
internal static class BuiltInSchemas
{
    private static readonly FrozenDictionary<string, Lazy<BuiltInSchemaSet>> Sets = new Dictionary<string, Lazy<BuiltInSchemaSet>>
    {
        [OcppProtocols.Ocpp16] = Create(OcppProtocols.Ocpp16, "ocpp1_6.json"),
        [OcppProtocols.Ocpp201] = Create(OcppProtocols.Ocpp201, "ocpp2_0_1.json"),
        [OcppProtocols.Ocpp21] = Create(OcppProtocols.Ocpp21, "ocpp2_1.json"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IReadOnlyList<string> Protocols { get; } = [OcppProtocols.Ocpp16, OcppProtocols.Ocpp201, OcppProtocols.Ocpp21];

    public static BuiltInSchemaSet? Get(string protocol) => Sets.TryGetValue(protocol, out Lazy<BuiltInSchemaSet>? set) ? set.Value : null;

    private static Lazy<BuiltInSchemaSet> Create(string protocol, string file) => new(
        () => BuiltInSchemaSet.Load(protocol, ReadResource("Ocpp.Rpc.Validation.Schemas." + file)),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private static byte[] ReadResource(string name)
    {
        using Stream stream = typeof(BuiltInSchemas).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded schema resource '{name}' is missing.");
        using var buffer = new MemoryStream(checked((int)stream.Length));
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}

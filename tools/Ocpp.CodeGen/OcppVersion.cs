namespace Ocpp.CodeGen;

/// <summary>
/// One generation target: a protocol, its namespace and type-name prefix, and how its generated files are headed.
/// The three built-in versions generate <c>src/Ocpp.Rpc.Messages</c>; <see cref="ForUser"/> makes a target for a
/// user's own schemas (the <c>ocpp-codegen</c> tool).
/// </summary>
/// <param name="Folder">Folder under the schema root and under the output root, e.g. <c>v16</c>.</param>
/// <param name="SchemaFile">File name of the schema bundle inside <paramref name="Folder"/>.</param>
/// <param name="Prefix">Namespace suffix and type-name prefix, e.g. <c>V16</c> (names <c>V16JsonContext</c>, <c>V16Actions</c>).</param>
/// <param name="ProtocolConstant">Name of the <c>Ocpp.Rpc.OcppProtocols</c> constant, e.g. <c>Ocpp16</c>; null for a custom subprotocol.</param>
/// <param name="DisplayName">Human name used in XML docs, e.g. <c>OCPP 1.6</c>.</param>
public sealed record OcppVersion(string Folder, string SchemaFile, string Prefix, string? ProtocolConstant, string DisplayName)
{
    /// <summary>The subprotocol names of the built-in versions, by <c>OcppProtocols</c> constant.</summary>
    public static IReadOnlyDictionary<string, (string Constant, string DisplayName)> StandardProtocols { get; } =
        new Dictionary<string, (string, string)>(StringComparer.Ordinal)
        {
            ["ocpp1.6"] = ("Ocpp16", "OCPP 1.6"),
            ["ocpp2.0.1"] = ("Ocpp201", "OCPP 2.0.1"),
            ["ocpp2.1"] = ("Ocpp21", "OCPP 2.1"),
        };

    /// <summary>The three versions the library ships, oldest first.</summary>
    public static IReadOnlyList<OcppVersion> All { get; } =
    [
        new("v16", "ocpp1_6.json", "V16", "Ocpp16", "OCPP 1.6") { Protocol = "ocpp1.6", IsBuiltIn = true },
        new("v201", "ocpp2_0_1.json", "V201", "Ocpp201", "OCPP 2.0.1") { Protocol = "ocpp2.0.1", IsBuiltIn = true },
        new("v21", "ocpp2_1.json", "V21", "Ocpp21", "OCPP 2.1") { Protocol = "ocpp2.1", IsBuiltIn = true },
    ];

    /// <summary>The C# namespace of the generated code.</summary>
    public string Namespace { get; init; } = "Ocpp.Rpc.Messages." + Prefix;

    /// <summary>The subprotocol name, e.g. <c>ocpp1.6</c> or a vendor's own.</summary>
    public string Protocol { get; init; } = "ocpp2.1";

    /// <summary>Whether this is one of <see cref="All"/> (the library's own messages).</summary>
    public bool IsBuiltIn { get; init; }

    /// <summary>Whether OCPP-J carries <c>DataTransfer.data</c> as a JSON string (1.x) rather than any JSON value (2.x).</summary>
    public bool DataTransferAsString => Protocol.StartsWith("ocpp1.", StringComparison.Ordinal);

    /// <summary>The schema path relative to the repository root, as named in generated headers.</summary>
    public string SchemaPath => $"schemas/{Folder}/{SchemaFile}";

    /// <summary>The name of the generated <c>JsonSerializerContext</c>.</summary>
    public string ContextName => Prefix + "JsonContext";

    /// <summary>The name of the generated action table.</summary>
    public string ActionsName => Prefix + "Actions";

    /// <summary>The C# expression of the subprotocol name.</summary>
    public string ProtocolExpression => ProtocolConstant is null
        ? EnumEmitter.Literal(Protocol)
        : $"global::Ocpp.Rpc.OcppProtocols.{ProtocolConstant}";

    /// <summary>The subprotocol in an XML doc.</summary>
    public string ProtocolDoc => ProtocolConstant is null
        ? Docs.Code(Protocol)
        : $"<see cref=\"global::Ocpp.Rpc.OcppProtocols.{ProtocolConstant}\"/>";

    /// <summary>A target for a user's schemas.</summary>
    /// <param name="ns">The C# namespace.</param>
    /// <param name="prefix">The prefix of the context and action-table names.</param>
    /// <param name="protocol">The subprotocol: <c>ocpp1.6</c>, <c>ocpp2.0.1</c>, <c>ocpp2.1</c> or a custom name.</param>
    public static OcppVersion ForUser(string ns, string prefix, string protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        var standard = StandardProtocols.TryGetValue(protocol, out var s);
        return new OcppVersion(string.Empty, string.Empty, prefix, standard ? s.Constant : null, standard ? s.DisplayName : protocol)
        {
            Namespace = ns,
            Protocol = protocol,
        };
    }
}

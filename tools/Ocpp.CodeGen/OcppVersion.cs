namespace Ocpp.CodeGen;

/// <summary>One OCPP version: where its schema bundle lives and how its generated code is named.</summary>
/// <param name="Folder">Folder under the schema root and under the output root, e.g. <c>v16</c>.</param>
/// <param name="SchemaFile">File name of the schema bundle inside <paramref name="Folder"/>.</param>
/// <param name="Prefix">Namespace suffix and type-name prefix, e.g. <c>V16</c>.</param>
/// <param name="ProtocolConstant">Name of the <c>Ocpp.Rpc.OcppProtocols</c> constant, e.g. <c>Ocpp16</c>.</param>
/// <param name="DisplayName">Human name used in XML docs, e.g. <c>OCPP 1.6</c>.</param>
public sealed record OcppVersion(string Folder, string SchemaFile, string Prefix, string ProtocolConstant, string DisplayName)
{
    /// <summary>The three versions the library ships, oldest first.</summary>
    public static IReadOnlyList<OcppVersion> All { get; } =
    [
        new("v16", "ocpp1_6.json", "V16", "Ocpp16", "OCPP 1.6"),
        new("v201", "ocpp2_0_1.json", "V201", "Ocpp201", "OCPP 2.0.1"),
        new("v21", "ocpp2_1.json", "V21", "Ocpp21", "OCPP 2.1"),
    ];

    /// <summary>The schema path relative to the repository root, as named in generated headers.</summary>
    public string SchemaPath => $"schemas/{Folder}/{SchemaFile}";
}

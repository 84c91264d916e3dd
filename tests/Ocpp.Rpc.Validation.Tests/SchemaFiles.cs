using System.Text.Json.Nodes;
using Ocpp.Rpc.Validation;

namespace Ocpp.Rpc.Validation.Tests;

/// <summary>The schema files as the tests read them (independently of the library): one JSON schema per action and kind.</summary>
internal static class SchemaFiles
{
    public static readonly IReadOnlyDictionary<string, string> FileNames = new Dictionary<string, string>
    {
        [OcppProtocols.Ocpp16] = "ocpp1_6.json",
        [OcppProtocols.Ocpp201] = "ocpp2_0_1.json",
        [OcppProtocols.Ocpp21] = "ocpp2_1.json",
    };

    private static readonly Dictionary<string, Dictionary<(string Action, OcppPayloadKind Kind), JsonObject>> Cache = [];
    private static readonly Lock Gate = new();

    public static string PathOf(string protocol) => Path.Combine(AppContext.BaseDirectory, "schemas", FileNames[protocol]);

    public static IReadOnlyDictionary<(string Action, OcppPayloadKind Kind), JsonObject> Load(string protocol)
    {
        lock (Gate)
        {
            if (!Cache.TryGetValue(protocol, out var map))
            {
                map = [];
                foreach (JsonNode? node in JsonNode.Parse(File.ReadAllText(PathOf(protocol)))!.AsArray())
                {
                    JsonObject schema = node!.AsObject();
                    string id = (string)schema["$id"]!;
                    string name = id["urn:".Length..];
                    (string action, OcppPayloadKind kind) =
                        name.EndsWith(".req", StringComparison.Ordinal) ? (name[..^4], OcppPayloadKind.Request)
                        : name.EndsWith(".conf", StringComparison.Ordinal) ? (name[..^5], OcppPayloadKind.Response)
                        : name.EndsWith("Request", StringComparison.Ordinal) ? (name[..^7], OcppPayloadKind.Request)
                        : name.EndsWith("Response", StringComparison.Ordinal) ? (name[..^8], OcppPayloadKind.Response)
                        : name == "NotifyPeriodicEventStream" ? (name, OcppPayloadKind.Request) // 2.1 SEND: no suffix, no response
                        : throw new InvalidDataException(id);
                    map.Add((action, kind), schema);
                }

                Cache[protocol] = map;
            }

            return map;
        }
    }

    /// <summary>Every (protocol, action, kind) of the three files, for theories.</summary>
    public static IEnumerable<object[]> AllSchemas() =>
        from protocol in FileNames.Keys
        from key in Load(protocol).Keys.OrderBy(k => k.Action, StringComparer.Ordinal).ThenBy(k => k.Kind)
        select new object[] { protocol, key.Action, key.Kind };
}

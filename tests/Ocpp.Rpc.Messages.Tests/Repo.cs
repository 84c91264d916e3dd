using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ocpp.Rpc.Messages.Tests;

/// <summary>Paths in the repository and per-version look-ups shared by the tests.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Schemas => Path.Combine(Root, "schemas");

    public static string Generated => Path.Combine(Root, "src", "Ocpp.Rpc.Messages", "Generated");

    public static readonly string[] Versions = ["v16", "v201", "v21"];

    public static string SchemaFile(string version) => version switch
    {
        "v16" => Path.Combine(Schemas, "v16", "ocpp1_6.json"),
        "v201" => Path.Combine(Schemas, "v201", "ocpp2_0_1.json"),
        "v21" => Path.Combine(Schemas, "v21", "ocpp2_1.json"),
        _ => throw new ArgumentOutOfRangeException(nameof(version)),
    };

    /// <summary>The generated catalogue of a version.</summary>
    public static IReadOnlyList<string> Actions(string version) => version switch
    {
        "v16" => V16.V16Actions.All,
        "v201" => V201.V201Actions.All,
        "v21" => V21.V21Actions.All,
        _ => throw new ArgumentOutOfRangeException(nameof(version)),
    };

    /// <summary>Metadata of the generated record for one schema (by direction), from the generated catalogue.</summary>
    public static JsonTypeInfo? TypeInfo(string version, string action, bool response) => (version, response) switch
    {
        ("v16", false) => V16.V16Actions.GetRequestTypeInfo(action),
        ("v16", true) => V16.V16Actions.GetResponseTypeInfo(action),
        ("v201", false) => V201.V201Actions.GetRequestTypeInfo(action),
        ("v201", true) => V201.V201Actions.GetResponseTypeInfo(action),
        ("v21", false) => V21.V21Actions.GetRequestTypeInfo(action),
        ("v21", true) => V21.V21Actions.GetResponseTypeInfo(action),
        _ => throw new ArgumentOutOfRangeException(nameof(version)),
    };

    private static readonly Dictionary<string, IReadOnlyList<SchemaEntry>> Cache = [];

    /// <summary>The schemas of a bundle, read directly (independently of the generator).</summary>
    public static IReadOnlyList<SchemaEntry> Load(string version)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(version, out var list))
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(SchemaFile(version)));
                list = [.. doc.RootElement.EnumerateArray().Select(s => SchemaEntry.From(s.Clone()))];
                Cache[version] = list;
            }

            return list;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ocpp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Repository root (Ocpp.sln) not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>One schema of a bundle with the action and direction from its <c>$id</c>.</summary>
internal sealed record SchemaEntry(string Id, string Action, bool IsResponse, bool IsSend, JsonElement Schema)
{
    public static SchemaEntry From(JsonElement schema)
    {
        var id = schema.GetProperty("$id").GetString()!;
        var name = id["urn:".Length..];
        foreach (var (suffix, response) in new[] { (".req", false), (".conf", true), ("Request", false), ("Response", true) })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                return new(id, name[..^suffix.Length], response, false, schema);
            }
        }

        return new(id, name, false, true, schema);
    }

    public override string ToString() => Id;
}

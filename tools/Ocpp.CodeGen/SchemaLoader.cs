using System.Text.Json;

namespace Ocpp.CodeGen;

/// <summary>Direction of a message schema.</summary>
public enum MessageDirection
{
    /// <summary>CALL payload (<c>.req</c> / <c>Request</c>).</summary>
    Request,

    /// <summary>CALLRESULT payload (<c>.conf</c> / <c>Response</c>).</summary>
    Response,

    /// <summary>One-way SEND payload (2.1), no response.</summary>
    Send,
}

/// <summary>One schema out of a bundle.</summary>
/// <param name="Action">Action name taken from <c>$id</c>.</param>
/// <param name="Direction">Which payload the schema describes.</param>
/// <param name="Id">The schema's <c>$id</c>.</param>
/// <param name="Root">The schema itself.</param>
public sealed record SchemaMessage(string Action, MessageDirection Direction, string Id, JsonElement Root)
{
    /// <summary>The file it was read from, as given (for error messages).</summary>
    public string File { get; init; } = Id;

    /// <summary>The JSON pointer of the schema inside <see cref="File"/>: empty for a file of its own, <c>/3</c> in a bundle.</summary>
    public string Pointer { get; init; } = string.Empty;

    /// <summary>For a vendor <c>DataTransfer</c> payload: its vendor and message id; null for an action of its own.</summary>
    public DataTransferKey? DataTransfer { get; init; }

    /// <summary>A short, stable label used for paths in names and error messages, e.g. <c>Authorize.req</c>.</summary>
    public string Label => Action + Direction switch
    {
        MessageDirection.Request => ".req",
        MessageDirection.Response => ".conf",
        _ => ".send",
    };

    /// <summary>The <c>definitions</c> object of this schema (may be empty).</summary>
    public JsonElement? Definitions => Root.TryGetProperty("definitions", out var d) ? d : null;
}

/// <summary>The <c>(vendorId, messageId)</c> of a vendor <c>DataTransfer</c> payload.</summary>
/// <param name="VendorId">The <c>vendorId</c>, e.g. <c>com.acme</c>.</param>
/// <param name="MessageId">The <c>messageId</c>, e.g. <c>SetDisplay</c>.</param>
public sealed record DataTransferKey(string VendorId, string MessageId);

/// <summary>Reads a schema bundle (a JSON array of schemas) and names each schema's action and direction.</summary>
public static class SchemaLoader
{
    /// <summary>Loads and sorts the schemas of one bundle file (ordinal by action, request before response).</summary>
    /// <param name="path">The bundle file.</param>
    public static IReadOnlyList<SchemaMessage> Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{path}: expected a JSON array of schemas.");
        }

        var result = new List<SchemaMessage>();
        foreach (var schema in doc.RootElement.EnumerateArray())
        {
            var id = schema.GetProperty("$id").GetString() ?? throw new InvalidDataException($"{path}: schema without $id.");
            var (action, direction) = ParseId(id);
            result.Add(new SchemaMessage(action, direction, id, schema.Clone()));
        }

        var pairs = result.GroupBy(m => m.Action, StringComparer.Ordinal);
        foreach (var group in pairs)
        {
            var directions = group.Select(m => m.Direction).Order().ToList();
            var ok = directions.SequenceEqual([MessageDirection.Request, MessageDirection.Response])
                || directions.SequenceEqual([MessageDirection.Send]);
            if (!ok)
            {
                throw new InvalidDataException($"{path}: action {group.Key} has schemas [{string.Join(", ", directions)}].");
            }
        }

        return [.. result.OrderBy(m => m.Action, StringComparer.Ordinal).ThenBy(m => m.Direction)];
    }

    /// <summary>Splits <c>urn:Action.req</c>, <c>urn:ActionRequest</c> (and <c>.conf</c>/<c>Response</c>) or <c>urn:Action</c>.</summary>
    /// <param name="id">A schema <c>$id</c>.</param>
    public static (string Action, MessageDirection Direction) ParseId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!id.StartsWith("urn:", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Unexpected schema $id '{id}'.");
        }

        var name = id["urn:".Length..];
        (string Suffix, MessageDirection Direction)[] suffixes =
        [
            (".req", MessageDirection.Request),
            (".conf", MessageDirection.Response),
            ("Request", MessageDirection.Request),
            ("Response", MessageDirection.Response),
        ];
        foreach (var (suffix, direction) in suffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && name.Length > suffix.Length)
            {
                return (name[..^suffix.Length], direction);
            }
        }

        return (name, MessageDirection.Send);
    }
}

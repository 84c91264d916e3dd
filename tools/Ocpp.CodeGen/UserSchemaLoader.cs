using System.Text.Json;

namespace Ocpp.CodeGen;

/// <summary>
/// Reads a user's schemas: files and folders of per-action schemas as the OCA ships them (<c>BootNotificationRequest.json</c>
/// and <c>BootNotificationResponse.json</c>, or 1.6's <c>BootNotification.json</c> and <c>BootNotificationResponse.json</c>),
/// and bundle files (a JSON array of schemas whose <c>$id</c> names action and direction, as in <c>schemas/</c>).
/// A request schema with an <c>x-ocpp-data-transfer</c> object is a vendor <c>DataTransfer</c> payload rather than an action.
/// </summary>
public static class UserSchemaLoader
{
    /// <summary>The annotation that makes a schema a vendor DataTransfer payload: <c>{"vendorId": "...", "messageId": "..."}</c>.</summary>
    public const string DataTransferKeyword = "x-ocpp-data-transfer";

    /// <summary>Loads and checks every schema; throws <see cref="SchemaException"/> listing every problem found.</summary>
    /// <param name="inputs">Schema files and folders (a folder's <c>*.json</c> files, not recursive).</param>
    /// <param name="protocol">The subprotocol (1.x has no one-way SEND messages).</param>
    /// <param name="defaultVendorId">The vendorId of DataTransfer schemas whose annotation has none.</param>
    public static IReadOnlyList<SchemaMessage> Load(IReadOnlyList<string> inputs, string protocol, string? defaultVendorId)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(protocol);
        var errors = new List<SchemaError>();
        var files = new List<string>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                files.AddRange(Directory.GetFiles(input, "*.json").Order(StringComparer.Ordinal));
            }
            else if (File.Exists(input))
            {
                files.Add(input);
            }
            else
            {
                errors.Add(new(input, "#", "no such file or folder"));
            }
        }

        files = [.. files.Distinct(StringComparer.Ordinal)];
        var docs = new List<(string File, JsonElement Root)>();
        foreach (var file in files)
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
                docs.Add((file, doc.RootElement.Clone()));
            }
            catch (JsonException ex)
            {
                errors.Add(new(file, "#", $"invalid JSON at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}"));
            }
            catch (IOException ex)
            {
                errors.Add(new(file, "#", "cannot read the file: " + ex.Message));
            }
        }

        // Per-action files are paired by name: "XRequest"/"XResponse", or 1.6's "X"/"XResponse".
        var baseNames = docs.Where(d => d.Root.ValueKind == JsonValueKind.Object).Select(d => Path.GetFileNameWithoutExtension(d.File)).ToHashSet(StringComparer.Ordinal);
        var messages = new List<SchemaMessage>();
        foreach (var (file, root) in docs)
        {
            if (root.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var schema in root.EnumerateArray())
                {
                    var pointer = "/" + i++;
                    var id = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$id", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString()! : null;
                    if (id is null || !id.StartsWith("urn:", StringComparison.Ordinal) || id.Length == 4)
                    {
                        errors.Add(new(file, "#" + pointer + "/$id", "a schema in a bundle needs an $id 'urn:<Action>Request', 'urn:<Action>Response', 'urn:<Action>.req', 'urn:<Action>.conf' or 'urn:<Action>' (SEND)"));
                        continue;
                    }

                    var (action, direction) = SchemaLoader.ParseId(id);
                    messages.Add(Message(file, pointer, action, direction, schema, null, errors, defaultVendorId));
                }
            }
            else if (root.ValueKind == JsonValueKind.Object)
            {
                var name = Path.GetFileNameWithoutExtension(file);
                var (action, direction) = name switch
                {
                    _ when name.EndsWith("Request", StringComparison.Ordinal) && name.Length > 7 => (name[..^7], MessageDirection.Request),
                    _ when name.EndsWith("Response", StringComparison.Ordinal) && name.Length > 8 => (name[..^8], MessageDirection.Response),
                    _ when baseNames.Contains(name + "Response") => (name, MessageDirection.Request),
                    _ => (name, MessageDirection.Send),
                };
                messages.Add(Message(file, string.Empty, action, direction, root, null, errors, defaultVendorId));
            }
            else
            {
                errors.Add(new(file, "#", "expected a schema (a JSON object) or a bundle (a JSON array of schemas)"));
            }
        }

        foreach (var m in messages)
        {
            errors.AddRange(SchemaChecker.Check(m));
        }

        messages = Pair(messages, protocol, errors);
        if (errors.Count > 0)
        {
            throw new SchemaException(errors);
        }

        return [.. messages.OrderBy(m => m.Action, StringComparer.Ordinal).ThenBy(m => m.Direction)];
    }

    private static SchemaMessage Message(string file, string pointer, string action, MessageDirection direction, JsonElement schema, DataTransferKey? key, List<SchemaError> errors, string? defaultVendorId)
    {
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty(DataTransferKeyword, out var dt))
        {
            key = ReadKey(file, "#" + pointer + "/" + DataTransferKeyword, dt, errors, defaultVendorId);
        }

        if (!IsIdentifier(action))
        {
            errors.Add(new(file, "#" + pointer, $"the action name '{action}' (from the file name or $id) is not a C# identifier"));
        }

        return new SchemaMessage(action, direction, file + "#" + pointer, schema) { File = file, Pointer = pointer, DataTransfer = key };
    }

    private static DataTransferKey? ReadKey(string file, string pointer, JsonElement dt, List<SchemaError> errors, string? defaultVendorId)
    {
        if (dt.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(file, pointer, "must be an object {\"vendorId\": \"...\", \"messageId\": \"...\"}"));
            return null;
        }

        string? Read(string name, int maxLength)
        {
            if (!dt.TryGetProperty(name, out var v))
            {
                return null;
            }

            if (v.ValueKind != JsonValueKind.String || v.GetString()!.Length is 0 || v.GetString()!.Length > maxLength)
            {
                errors.Add(new(file, SchemaError.Combine(pointer, name), $"must be a non-empty string of at most {maxLength} characters"));
                return null;
            }

            return v.GetString();
        }

        var vendorId = Read("vendorId", 255) ?? defaultVendorId;
        var messageId = Read("messageId", 50);
        if (vendorId is null && !dt.TryGetProperty("vendorId", out _))
        {
            errors.Add(new(file, pointer, "no vendorId: give one here or pass --vendor-id"));
        }

        if (messageId is null && !dt.TryGetProperty("messageId", out _))
        {
            errors.Add(new(file, pointer, "no messageId"));
        }

        return vendorId is null || messageId is null ? null : new DataTransferKey(vendorId, messageId);
    }

    // Each action has a request and a response schema (or, outside 1.x, one SEND schema); a DataTransfer payload
    // takes its key from the request and the response, when it repeats the key, must agree.
    private static List<SchemaMessage> Pair(List<SchemaMessage> messages, string protocol, List<SchemaError> errors)
    {
        var result = new List<SchemaMessage>();
        var keys = new Dictionary<DataTransferKey, SchemaMessage>();
        var seenActions = new Dictionary<string, SchemaMessage>(StringComparer.OrdinalIgnoreCase);
        foreach (var group in messages.GroupBy(m => m.Action, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var first = group.First();
            if (seenActions.TryGetValue(group.Key, out var other))
            {
                errors.Add(new(first.File, "#" + first.Pointer, $"name clash: action '{group.Key}' and '{other.Action}' ({other.File}) differ only in case"));
                continue;
            }

            seenActions[group.Key] = first;
            var byDirection = group.GroupBy(m => m.Direction).ToList();
            foreach (var dup in byDirection.Where(d => d.Count() > 1))
            {
                var a = dup.First();
                foreach (var b in dup.Skip(1))
                {
                    errors.Add(new(b.File, "#" + b.Pointer, $"name clash: the {dup.Key} schema of '{group.Key}' is also defined in {a.File}{(a.Pointer.Length > 0 ? " at #" + a.Pointer : string.Empty)}"));
                }
            }

            var request = group.FirstOrDefault(m => m.Direction == MessageDirection.Request);
            var response = group.FirstOrDefault(m => m.Direction == MessageDirection.Response);
            var send = group.FirstOrDefault(m => m.Direction == MessageDirection.Send);
            if (send is not null)
            {
                if (request is not null || response is not null)
                {
                    errors.Add(new(send.File, "#" + send.Pointer, $"'{group.Key}' has a one-way SEND schema and a request or response schema"));
                }
                else if (protocol.StartsWith("ocpp1.", StringComparison.Ordinal))
                {
                    errors.Add(new(send.File, "#" + send.Pointer, $"no response schema for '{group.Key}' (expected {group.Key}Response.json): {protocol} has no one-way messages"));
                }
                else if (send.DataTransfer is not null)
                {
                    errors.Add(new(send.File, "#" + send.Pointer, $"a DataTransfer payload needs a request and a response schema ({group.Key}Request.json, {group.Key}Response.json)"));
                }
                else
                {
                    result.Add(send);
                }

                continue;
            }

            if (request is null || response is null)
            {
                var present = request ?? response!;
                errors.Add(new(present.File, "#" + present.Pointer, $"'{group.Key}' has a {present.Direction.ToString().ToLowerInvariant()} schema but no {(request is null ? "request" : "response")} schema"));
                continue;
            }

            if (request.DataTransfer is { } key)
            {
                if (response.DataTransfer is { } responseKey && responseKey != key)
                {
                    errors.Add(new(response.File, "#" + response.Pointer + "/" + DataTransferKeyword, $"does not match the request's ({key.VendorId}, {key.MessageId})"));
                }

                if (keys.TryGetValue(key, out var clash))
                {
                    errors.Add(new(request.File, "#" + request.Pointer + "/" + DataTransferKeyword, $"name clash: DataTransfer ({key.VendorId}, {key.MessageId}) is also mapped by {clash.File}"));
                }

                keys[key] = request;
                result.Add(request);
                result.Add(response with { DataTransfer = key });
            }
            else if (response.DataTransfer is not null)
            {
                errors.Add(new(request.File, "#" + request.Pointer, $"the response of '{group.Key}' is a DataTransfer payload ({DataTransferKeyword}) but its request is not"));
            }
            else
            {
                result.Add(request);
                result.Add(response);
            }
        }

        return result;
    }

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}

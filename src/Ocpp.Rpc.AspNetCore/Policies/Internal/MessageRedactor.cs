using System.Buffers;
using System.Collections.Frozen;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ocpp.Rpc.AspNetCore.Policies;

// Masks secrets in a message for the message log. A message is parsed only when its bytes hold one of the field names
// that could carry a secret (a vectorized search per name), so most messages are never parsed; one that is gets every
// matching string value replaced by "***", plus the context-dependent ones (1.6 AuthorizationKey, 2.x BasicAuthPassword).
internal sealed class MessageRedactor
{
    public const string Mask = "***";

    private static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly OcppRedactions _what;
    private readonly byte[][] _markers;
    private readonly FrozenSet<string> _names;

    public MessageRedactor(OcppRedactions what)
    {
        _what = what;
        var markers = new List<string>();
        var names = new List<string>();
        if (what.HasFlag(OcppRedactions.Passwords))
        {
            markers.AddRange(["assword", "AuthorizationKey"]);
            names.AddRange(["password", "basicAuthPassword"]);
        }

        if (what.HasFlag(OcppRedactions.IdTokens))
        {
            markers.AddRange(["idTag", "IdTag", "dToken"]);
            names.AddRange(["idTag", "parentIdTag", "idToken"]);
        }

        if (what.HasFlag(OcppRedactions.Certificates))
        {
            markers.AddRange(["ertificate", "\"csr\"", "exiRe", "ocspResult"]);
            names.AddRange(["certificate", "certificateChain", "csr", "signingCertificate", "caCertificate", "exiRequest", "exiResponse", "ocspResult"]);
        }

        _markers = [.. markers.Select(System.Text.Encoding.UTF8.GetBytes)];
        _names = names.ToFrozenSet(StringComparer.Ordinal);
    }

    public bool MayHoldSecrets(ReadOnlySpan<byte> message)
    {
        foreach (byte[] marker in _markers)
        {
            if (message.IndexOf(marker) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    // The message with its secrets masked, or null when it is not JSON (then nothing of it may be shown).
    public string? Redact(ReadOnlySpan<byte> message)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(message);
        }
        catch (JsonException)
        {
            return null;
        }

        Walk(root);
        var buffer = new ArrayBufferWriter<byte>(message.Length + 16);
        using (var writer = new Utf8JsonWriter(buffer, Writer))
        {
            if (root is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                root.WriteTo(writer);
            }
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void Walk(JsonNode? node)
    {
        if (node is JsonArray array)
        {
            foreach (JsonNode? item in array)
            {
                Walk(item);
            }

            return;
        }

        if (node is not JsonObject obj)
        {
            return;
        }

        if (_what.HasFlag(OcppRedactions.Passwords))
        {
            MaskContextual(obj);
        }

        foreach (string key in obj.Select(p => p.Key).ToArray())
        {
            JsonNode? value = obj[key];
            if (_names.Contains(key) && value is JsonValue)
            {
                obj[key] = Mask;
            }
            else
            {
                Walk(value);
            }
        }
    }

    // 1.6 ChangeConfiguration / GetConfiguration: {"key":"AuthorizationKey","value":...}. 2.x SetVariables, GetVariables
    // and NotifyReport: an object whose variable is BasicAuthPassword carries the password in attributeValue or in the
    // values of its variableAttribute list.
    private static void MaskContextual(JsonObject obj)
    {
        if (IsString(obj["key"], "AuthorizationKey") && obj.ContainsKey("value"))
        {
            obj["value"] = Mask;
        }

        if (obj["variable"] is JsonObject variable && IsString(variable["name"], "BasicAuthPassword"))
        {
            if (obj.ContainsKey("attributeValue"))
            {
                obj["attributeValue"] = Mask;
            }

            if (obj["variableAttribute"] is JsonArray attributes)
            {
                foreach (JsonObject attribute in attributes.OfType<JsonObject>())
                {
                    if (attribute.ContainsKey("value"))
                    {
                        attribute["value"] = Mask;
                    }
                }
            }
        }
    }

    private static bool IsString(JsonNode? node, string expected) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() == expected;
}

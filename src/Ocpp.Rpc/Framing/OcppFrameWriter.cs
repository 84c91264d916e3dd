using System.Text.Json;

namespace Ocpp.Rpc.Framing;

/// <summary>Writes OCPP-J frames with <see cref="Utf8JsonWriter"/>.</summary>
public static class OcppFrameWriter
{
    /// <summary>The longest errorDescription OCPP-J allows; longer ones are truncated.</summary>
    public const int MaxErrorDescriptionLength = 255;

    /// <summary>Writes <c>[2, id, action, payload]</c> (or <c>[6, ...]</c> for a SEND).</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="type"><see cref="OcppMessageType.Call"/> or <see cref="OcppMessageType.Send"/>.</param>
    /// <param name="messageId">The message id.</param>
    /// <param name="action">The action.</param>
    /// <param name="payload">The payload.</param>
    /// <returns>Where the payload is in the written output (for validation without a second serialization).</returns>
    public static Range WriteCall(Utf8JsonWriter writer, OcppMessageType type, string messageId, string action, in OcppPayload payload)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        writer.WriteNumberValue((int)type);
        writer.WriteStringValue(messageId);
        writer.WriteStringValue(action);
        Range range = WritePayload(writer, payload);
        writer.WriteEndArray();
        writer.Flush();
        return range;
    }

    /// <summary>Writes <c>[3, id, payload]</c>.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="messageId">The id of the CALL being answered.</param>
    /// <param name="payload">The payload.</param>
    /// <returns>Where the payload is in the written output.</returns>
    public static Range WriteResult(Utf8JsonWriter writer, string messageId, in OcppPayload payload)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        writer.WriteNumberValue((int)OcppMessageType.CallResult);
        writer.WriteStringValue(messageId);
        Range range = WritePayload(writer, payload);
        writer.WriteEndArray();
        writer.Flush();
        return range;
    }

    // The writer emits a one-byte ',' separator before the value (output is never indented), hence the +1.
    private static Range WritePayload(Utf8JsonWriter writer, in OcppPayload payload)
    {
        int start = (int)(writer.BytesCommitted + writer.BytesPending) + 1;
        payload.WriteTo(writer);
        int end = (int)(writer.BytesCommitted + writer.BytesPending);
        return start..end;
    }

    /// <summary>Writes <c>[4, id, code, description, details]</c> (or <c>[5, ...]</c> for a CALLRESULTERROR).</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="type"><see cref="OcppMessageType.CallError"/> or <see cref="OcppMessageType.CallResultError"/>.</param>
    /// <param name="messageId">The id of the message being answered, or <c>-1</c> when it could not be read.</param>
    /// <param name="wireCode">The error code, spelled for the connection's version.</param>
    /// <param name="description">The description; truncated to 255 characters, "" when null.</param>
    /// <param name="details">The details object; <c>{}</c> when null or not an object.</param>
    public static void WriteError(Utf8JsonWriter writer, OcppMessageType type, string messageId, string wireCode, string? description, JsonElement? details)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        writer.WriteNumberValue((int)type);
        writer.WriteStringValue(messageId);
        writer.WriteStringValue(wireCode);
        writer.WriteStringValue(Truncate(description));
        if (details is { ValueKind: JsonValueKind.Object } d)
        {
            d.WriteTo(writer);
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.Flush();
    }

    private static string Truncate(string? description)
    {
        if (string.IsNullOrEmpty(description))
        {
            return string.Empty;
        }

        if (description.Length <= MaxErrorDescriptionLength)
        {
            return description;
        }

        int length = MaxErrorDescriptionLength;
        if (char.IsHighSurrogate(description[length - 1]))
        {
            length--;
        }

        return description[..length];
    }
}

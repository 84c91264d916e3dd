using System.Text.Json;
using System.Text.Unicode;

namespace Ocpp.Rpc.Framing;

/// <summary>
/// Reads one OCPP-J frame with a single forward pass of <see cref="Utf8JsonReader"/>. The payload is skipped, not
/// materialised: callers deserialize it from <see cref="OcppFrame.Payload"/> when they need it.
/// </summary>
public static class OcppFrameReader
{
    /// <summary>The longest message id OCPP-J allows.</summary>
    public const int MaxMessageIdLength = 36;

    /// <summary>The deepest JSON nesting accepted in a frame (the frame array counts as one level).</summary>
    public const int MaxDepth = 64;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>Reads a frame. Never throws for bad input: a rejected frame is described by <paramref name="error"/>.</summary>
    /// <param name="utf8">The whole message as UTF-8.</param>
    /// <param name="frame">The frame when the result is <see langword="true"/>.</param>
    /// <param name="error">What is wrong when the result is <see langword="false"/>.</param>
    /// <returns>Whether the message is a structurally valid frame of a known type.</returns>
    public static bool TryRead(ReadOnlySpan<byte> utf8, out OcppFrame frame, out OcppFrameError error)
    {
        frame = default;

        // Skipped payloads are not decoded by the reader, so check the encoding of the whole message once here.
        if (!Utf8.IsValid(utf8))
        {
            error = new(OcppFrameErrorKind.InvalidJson, "The message is not valid UTF-8.", null, null);
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(utf8, ReaderOptions);
            if (!reader.Read())
            {
                error = new(OcppFrameErrorKind.InvalidJson, "The message is empty.", null, null);
                return false;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                EnsureEnd(ref reader);
                error = new(OcppFrameErrorKind.NotAnArray, "The message is not a JSON array.", null, null);
                return false;
            }

            if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int typeNumber))
            {
                return Reject(ref reader, OcppFrameErrorKind.InvalidMessageType, "The message type is missing or not an integer.", null, null, out error);
            }

            int? type = typeNumber;
            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                return Reject(ref reader, OcppFrameErrorKind.InvalidMessageId, "The message id is missing or not a string.", type, null, out error);
            }

            // An over-long id is never materialised or echoed: it is not a valid OCPP-J id, so it is answered as an
            // unreadable one ("-1"). Six bytes per character is the longest a JSON-escaped character can take.
            string? id = reader.ValueSpan.Length > MaxMessageIdLength * 6 || reader.HasValueSequence ? null : reader.GetString();
            if (id is { Length: > MaxMessageIdLength })
            {
                id = null;
            }

            if (typeNumber is < 2 or > 6)
            {
                return Reject(ref reader, OcppFrameErrorKind.UnknownMessageType, $"Message type {typeNumber} is not supported.", type, id, out error);
            }

            if (id is null)
            {
                return Reject(ref reader, OcppFrameErrorKind.MessageIdTooLong, $"The message id is longer than {MaxMessageIdLength} characters.", type, null, out error);
            }

            var messageType = (OcppMessageType)typeNumber;
            return messageType switch
            {
                OcppMessageType.Call or OcppMessageType.Send => ReadCall(ref reader, messageType, id, out frame, out error),
                OcppMessageType.CallResult => ReadResult(ref reader, id, out frame, out error),
                _ => ReadError(ref reader, messageType, id, out frame, out error),
            };
        }
        catch (JsonException)
        {
            error = new(OcppFrameErrorKind.InvalidJson, "The message is not valid JSON.", null, null);
            return false;
        }
        catch (InvalidOperationException)
        {
            // Raised by GetString for invalid UTF-8 or bad escapes.
            error = new(OcppFrameErrorKind.InvalidJson, "The message is not valid UTF-8 JSON.", null, null);
            return false;
        }
    }

    private static bool ReadCall(ref Utf8JsonReader reader, OcppMessageType type, string id, out OcppFrame frame, out OcppFrameError error)
    {
        frame = default;
        if (!reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length == 0)
        {
            return Reject(ref reader, OcppFrameErrorKind.InvalidAction, "The action is missing, empty or not a string.", (int)type, id, out error);
        }

        string action = reader.GetString()!;
        if (!TryReadPayload(ref reader, out Range payload))
        {
            return Reject(ref reader, OcppFrameErrorKind.InvalidPayload, "The payload must be a JSON object.", (int)type, id, out error);
        }

        if (!TryReadEnd(ref reader))
        {
            return Reject(ref reader, OcppFrameErrorKind.WrongElementCount, "The message has more than 4 elements.", (int)type, id, out error);
        }

        frame = new OcppFrame(type, id, action, payload, null, null, default);
        error = default;
        return true;
    }

    private static bool ReadResult(ref Utf8JsonReader reader, string id, out OcppFrame frame, out OcppFrameError error)
    {
        frame = default;
        if (!TryReadPayload(ref reader, out Range payload))
        {
            return Reject(ref reader, OcppFrameErrorKind.InvalidPayload, "The payload must be a JSON object.", 3, id, out error);
        }

        if (!TryReadEnd(ref reader))
        {
            return Reject(ref reader, OcppFrameErrorKind.WrongElementCount, "The message has more than 3 elements.", 3, id, out error);
        }

        frame = new OcppFrame(OcppMessageType.CallResult, id, null, payload, null, null, default);
        error = default;
        return true;
    }

    private static bool ReadError(ref Utf8JsonReader reader, OcppMessageType type, string id, out OcppFrame frame, out OcppFrameError error)
    {
        frame = default;
        if (!reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            return Reject(ref reader, OcppFrameErrorKind.InvalidError, "The errorCode is missing or not a string.", (int)type, id, out error);
        }

        string code = reader.GetString()!;

        // Be lenient with what peers send: a missing description or details reads as "" and {}.
        string description = string.Empty;
        Range details = default;
        if (!reader.Read())
        {
            throw new JsonException();
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                description = reader.GetString()!;
            }
            else if (reader.TokenType != JsonTokenType.Null)
            {
                return Reject(ref reader, OcppFrameErrorKind.InvalidError, "The errorDescription is not a string.", (int)type, id, out error);
            }

            if (!reader.Read())
            {
                throw new JsonException();
            }

            if (reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    int start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    details = start..(int)reader.BytesConsumed;
                }
                else
                {
                    reader.Skip();
                }

                if (!TryReadEnd(ref reader))
                {
                    return Reject(ref reader, OcppFrameErrorKind.WrongElementCount, "The message has more than 5 elements.", (int)type, id, out error);
                }
            }
            else
            {
                EnsureEnd(ref reader);
            }
        }
        else
        {
            EnsureEnd(ref reader);
        }

        frame = new OcppFrame(type, id, null, default, code, description, details);
        error = default;
        return true;
    }

    private static bool TryReadPayload(ref Utf8JsonReader reader, out Range payload)
    {
        payload = default;
        if (!reader.Read())
        {
            throw new JsonException();
        }

        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.Null))
        {
            return false;
        }

        int start = (int)reader.TokenStartIndex;
        reader.Skip();
        payload = start..(int)reader.BytesConsumed;
        return true;
    }

    // Reads the closing bracket of the frame and checks nothing follows it.
    private static bool TryReadEnd(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException();
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            return false;
        }

        EnsureEnd(ref reader);
        return true;
    }

    private static void EnsureEnd(ref Utf8JsonReader reader)
    {
        // Throws JsonException on trailing content after the top-level value.
        if (reader.Read())
        {
            throw new JsonException();
        }
    }

    // Finishes reading the frame so that invalid JSON is reported as such, then reports the structural error.
    private static bool Reject(ref Utf8JsonReader reader, OcppFrameErrorKind kind, string description, int? type, string? id, out OcppFrameError error)
    {
        if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
        {
            reader.Skip();
        }

        while (reader.CurrentDepth > 0 || reader.TokenType != JsonTokenType.EndArray)
        {
            if (!reader.Read())
            {
                throw new JsonException();
            }

            if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
            {
                reader.Skip();
            }
        }

        EnsureEnd(ref reader);
        error = new(kind, description, type, id);
        return false;
    }
}

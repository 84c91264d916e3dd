using System.Globalization;
using System.Text.Json;
using Newtonsoft.Json.Linq;

namespace Ocpp.Rpc.Validation.Tests.Reference;

/// <summary>
/// Builds the Newtonsoft token tree that NJsonSchema validates straight from the UTF-8 bytes, in one pass of
/// <see cref="Utf8JsonReader"/>: no intermediate string, stream or char buffer. The reader is strict RFC 8259
/// (no comments, no trailing commas, valid UTF-8, one value only).
/// </summary>
internal static class NewtonsoftPayloadParser
{
    /// <summary>Strict RFC 8259, depth 64, as the validator reads.</summary>
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 64,
    };

    /// <summary>Parses one JSON value, or returns <see langword="null"/> with a short reason (positions only; never payload text).</summary>
    public static JToken? TryParse(ReadOnlySpan<byte> utf8, out string? error)
    {
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        try
        {
            if (!reader.Read())
            {
                error = "empty payload";
                return null;
            }

            JToken token = ReadValue(ref reader);
            if (reader.Read())
            {
                error = $"unexpected data after the JSON value at byte {reader.TokenStartIndex}";
                return null;
            }

            error = null;
            return token;
        }
        catch (JsonException ex)
        {
            error = $"line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}";
            return null;
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 inside a string or property name.
            error = $"invalid string at byte {reader.TokenStartIndex}";
            return null;
        }
    }

    private static JToken ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var obj = new JObject();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string name = reader.GetString()!;
                    reader.Read();

                    // Duplicate names: the last one wins, as in System.Text.Json and Newtonsoft.Json.
                    obj[name] = ReadValue(ref reader);
                }

                return obj;

            case JsonTokenType.StartArray:
                var array = new JArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    array.Add(ReadValue(ref reader));
                }

                return array;

            case JsonTokenType.String:
                return JValue.CreateString(reader.GetString());

            case JsonTokenType.Number:
                return ReadNumber(ref reader);

            case JsonTokenType.True:
                return new JValue(true);

            case JsonTokenType.False:
                return new JValue(false);

            default:
                return JValue.CreateNull();
        }
    }

    private static JValue ReadNumber(ref Utf8JsonReader reader)
    {
        // The payload is one contiguous span, so the value is never a sequence.
        ReadOnlySpan<byte> raw = reader.ValueSpan;
        bool isInteger = raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0;
        if (isInteger)
        {
            // Integer token types as NJsonSchema expects them. Past 64 bits Newtonsoft would make a BigInteger, which
            // NJsonSchema's range checks cannot convert (InvalidCastException); such a number becomes a float token
            // instead, so an "integer" field reports a type violation and a "number" field is range-checked.
            if (reader.TryGetInt64(out long l))
            {
                return new JValue(l);
            }

            if (reader.TryGetUInt64(out ulong ul))
            {
                return new JValue(ul);
            }

            return reader.TryGetDecimal(out decimal d) ? new JValue(d) : new JValue(reader.GetDouble());
        }

        // Float; out-of-range exponents become ±infinity, which every range check rejects.
        return new JValue(double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture));
    }
}

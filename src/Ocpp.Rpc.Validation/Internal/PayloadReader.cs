using System.Text.Json;

namespace Ocpp.Rpc.Validation.Internal;

/// <summary>
/// Reads a payload for the full validation: strict RFC 8259 (no comments, no trailing commas, one value, depth 64),
/// and every string and property name valid UTF-8 with no lone surrogate in an escape, as the typed messages require.
/// </summary>
internal static class PayloadReader
{
    /// <summary>Strict RFC 8259, depth 64; the fast path (<see cref="FastSchemaValidator"/>) reads with the same options.</summary>
    internal static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 64,
    };

    /// <summary>Parses one JSON value, or returns <see langword="null"/> with a short reason (positions only; never payload text).</summary>
    /// <param name="utf8">The payload.</param>
    /// <param name="error">Why it is not JSON, when it is not.</param>
    /// <returns>The document (the caller disposes it), or <see langword="null"/>.</returns>
    public static JsonDocument? TryParse(ReadOnlySpan<byte> utf8, out string? error)
    {
        if (!IsWellFormed(utf8, out error))
        {
            return null;
        }

        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        return JsonDocument.ParseValue(ref reader);
    }

    private static bool IsWellFormed(ReadOnlySpan<byte> utf8, out string? error)
    {
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        try
        {
            if (!reader.Read())
            {
                error = "empty payload";
                return false;
            }

            do
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && !IsValidText(ref reader))
                {
                    error = $"invalid string at byte {reader.TokenStartIndex}";
                    return false;
                }
            }
            while (reader.Read()); // data after the first value throws: multiple values are not allowed

            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            error = $"line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}";
            return false;
        }
    }

    private static bool IsValidText(ref Utf8JsonReader reader)
    {
        try
        {
            // Transcoding checks UTF-8 and the surrogates of \u escapes; only the error path gets here.
            _ = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}

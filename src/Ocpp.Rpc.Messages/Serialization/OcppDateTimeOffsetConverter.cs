using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ocpp.Rpc.Messages.Serialization;

/// <summary>
/// Reads and writes OCPP <c>date-time</c> values as RFC 3339 strings, without reflection.
/// </summary>
/// <remarks>
/// Reading requires a full date, time and offset (<c>Z</c> or <c>±hh:mm</c>); a value without an offset is rejected
/// with a <see cref="JsonException"/> instead of being taken as local time. Fraction digits beyond the seventh
/// (below 100 ns) are dropped. Writing keeps the value's offset, writes a
/// zero offset as <c>Z</c>, and writes a fraction of a second only when the value has one: milliseconds
/// (<c>.fff</c>) when that is exact, otherwise up to seven digits without trailing zeros.
/// </remarks>
public sealed class OcppDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    private static readonly string[] Formats =
    [
        "yyyy'-'MM'-'dd'T'HH':'mm':'ssK",
        "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFK",
    ];

    /// <inheritdoc/>
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("Expected an RFC 3339 date-time string.");
        }

        var text = TrimFraction(reader.GetString()!);
        if (!HasOffset(text)
            || !DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            throw new JsonException("Invalid RFC 3339 date-time (a date, a time and an offset such as Z are required).");
        }

        return value;
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        // Only digits, '-', ':', '.', 'T', 'Z' and '+': written raw so no encoder turns '+' into \u002B.
        writer.WriteRawValue("\"" + Format(value) + "\"", skipInputValidation: true);
    }

    /// <summary>Formats a value the way this converter writes it.</summary>
    /// <param name="value">The value.</param>
    /// <returns>For example <c>2025-01-31T12:00:00Z</c>, <c>2025-01-31T12:00:00.123+02:00</c>.</returns>
    public static string Format(DateTimeOffset value)
    {
        Span<char> buffer = stackalloc char[40];
        var pos = 0;
        value.TryFormat(buffer, out var written, "yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture);
        pos += written;
        var fraction = value.Ticks % TimeSpan.TicksPerSecond;
        if (fraction != 0)
        {
            var format = fraction % TimeSpan.TicksPerMillisecond == 0 ? ".fff" : ".FFFFFFF";
            value.TryFormat(buffer[pos..], out written, format, CultureInfo.InvariantCulture);
            pos += written;
        }

        if (value.Offset == TimeSpan.Zero)
        {
            buffer[pos++] = 'Z';
        }
        else
        {
            value.TryFormat(buffer[pos..], out written, "zzz", CultureInfo.InvariantCulture);
            pos += written;
        }

        return new string(buffer[..pos]);
    }

    // RFC 3339 allows any number of fraction digits; .NET parses at most seven (100 ns ticks), so drop the rest.
    private static string TrimFraction(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return text;
        }

        var end = dot + 1;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        return end - dot - 1 > 7 ? string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end)) : text;
    }

    private static bool HasOffset(string text) =>
        text.Length > 6 && (text[^1] is 'Z' or 'z' || (text[^6] is '+' or '-' && text[^3] == ':'));
}

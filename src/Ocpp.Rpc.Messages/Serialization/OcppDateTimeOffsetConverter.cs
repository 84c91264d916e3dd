using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ocpp.Rpc.Messages.Serialization;

/// <summary>
/// Reads and writes OCPP <c>date-time</c> values as RFC 3339 strings, without reflection, with
/// <see cref="OcppDateTime"/>: the same parser strict mode validates with, so what passes validation deserializes.
/// </summary>
/// <remarks>
/// Reading requires a full date, time and offset (<c>Z</c> or <c>±hh:mm</c>; <c>t</c> and <c>z</c> may be lower case);
/// a value without an offset is rejected with a <see cref="JsonException"/> instead of being taken as local time.
/// Fraction digits beyond the seventh (below 100 ns) are dropped. Writing keeps the value's offset, writes a zero
/// offset as <c>Z</c>, and writes a fraction of a second only when the value has one: milliseconds (<c>.fff</c>) when
/// that is exact, otherwise up to seven digits without trailing zeros.
/// </remarks>
public sealed class OcppDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    // Longer unescaped values are valid only with a long fraction; they are read through a string.
    private const int StackValue = 128;

    /// <inheritdoc/>
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("Expected an RFC 3339 date-time string.");
        }

        DateTimeOffset value;
        bool parsed;
        if (!reader.HasValueSequence && !reader.ValueIsEscaped)
        {
            parsed = OcppDateTime.TryParse(reader.ValueSpan, out value);
        }
        else if ((reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) <= StackValue)
        {
            Span<byte> unescaped = stackalloc byte[StackValue];
            parsed = OcppDateTime.TryParse(unescaped[..reader.CopyString(unescaped)], out value);
        }
        else
        {
            parsed = OcppDateTime.TryParse(reader.GetString(), out value);
        }

        return parsed
            ? value
            : throw new JsonException("Invalid RFC 3339 date-time (a date, a time and an offset such as Z are required).");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        // Only digits, '-', ':', '.', 'T', 'Z' and '+': written raw so no encoder turns '+' into \u002B.
        Span<byte> buffer = stackalloc byte[OcppDateTime.MaxFormattedLength + 2];
        buffer[0] = (byte)'"';
        OcppDateTime.TryFormat(value, buffer[1..], out int written);
        buffer[written + 1] = (byte)'"';
        writer.WriteRawValue(buffer[..(written + 2)], skipInputValidation: true);
    }

    /// <summary>Formats a value the way this converter writes it (see <see cref="OcppDateTime.Format"/>).</summary>
    /// <param name="value">The value.</param>
    /// <returns>For example <c>2025-01-31T12:00:00Z</c>, <c>2025-01-31T12:00:00.123+02:00</c>.</returns>
    public static string Format(DateTimeOffset value) => OcppDateTime.Format(value);
}

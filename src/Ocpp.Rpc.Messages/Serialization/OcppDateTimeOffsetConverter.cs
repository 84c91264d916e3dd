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

        // Fast path for the usual unescaped forms, without a string or a format search; anything else (and any value
        // the fast path rejects) goes through the general parse, which decides.
        if (!reader.HasValueSequence && !reader.ValueIsEscaped && TryParseFast(reader.ValueSpan, out DateTimeOffset fast))
        {
            return fast;
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
        Span<byte> buffer = stackalloc byte[48];
        buffer[0] = (byte)'"';
        var pos = 1 + FormatUtf8(value, buffer[1..]);
        buffer[pos++] = (byte)'"';
        writer.WriteRawValue(buffer[..pos], skipInputValidation: true);
    }

    /// <summary>Formats a value the way this converter writes it.</summary>
    /// <param name="value">The value.</param>
    /// <returns>For example <c>2025-01-31T12:00:00Z</c>, <c>2025-01-31T12:00:00.123+02:00</c>.</returns>
    public static string Format(DateTimeOffset value)
    {
        Span<byte> buffer = stackalloc byte[40];
        return System.Text.Encoding.ASCII.GetString(buffer[..FormatUtf8(value, buffer)]);
    }

    // Digits are written directly: a custom format string would be parsed on every call, and this runs for every
    // timestamp of every typed message.
    private static int FormatUtf8(DateTimeOffset value, Span<byte> buffer)
    {
        DateTime clock = value.DateTime;
        Digits(buffer, 0, clock.Year, 4);
        buffer[4] = (byte)'-';
        Digits(buffer, 5, clock.Month, 2);
        buffer[7] = (byte)'-';
        Digits(buffer, 8, clock.Day, 2);
        buffer[10] = (byte)'T';
        Digits(buffer, 11, clock.Hour, 2);
        buffer[13] = (byte)':';
        Digits(buffer, 14, clock.Minute, 2);
        buffer[16] = (byte)':';
        Digits(buffer, 17, clock.Second, 2);
        var pos = 19;
        var fraction = (int)(value.Ticks % TimeSpan.TicksPerSecond);
        if (fraction != 0)
        {
            buffer[pos++] = (byte)'.';
            if (fraction % TimeSpan.TicksPerMillisecond == 0)
            {
                Digits(buffer, pos, fraction / (int)TimeSpan.TicksPerMillisecond, 3);
                pos += 3;
            }
            else
            {
                var digits = 7;
                while (fraction % 10 == 0)
                {
                    fraction /= 10;
                    digits--;
                }

                Digits(buffer, pos, fraction, digits);
                pos += digits;
            }
        }

        TimeSpan offset = value.Offset;
        if (offset == TimeSpan.Zero)
        {
            buffer[pos++] = (byte)'Z';
        }
        else
        {
            buffer[pos++] = offset < TimeSpan.Zero ? (byte)'-' : (byte)'+';
            var minutes = Math.Abs((int)offset.TotalMinutes);
            Digits(buffer, pos, minutes / 60, 2);
            buffer[pos + 2] = (byte)':';
            Digits(buffer, pos + 3, minutes % 60, 2);
            pos += 5;
        }

        return pos;
    }

    private static void Digits(Span<byte> buffer, int start, int value, int count)
    {
        for (var i = start + count - 1; i >= start; i--)
        {
            buffer[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    // yyyy-MM-ddTHH:mm:ss[.f{1,7}](Z|+hh:mm|-hh:mm), fields in range; false sends the value to the general parse.
    private static bool TryParseFast(ReadOnlySpan<byte> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':'
            || !TryDigits(s[..4], out var year) || !TryDigits(s.Slice(5, 2), out var month) || !TryDigits(s.Slice(8, 2), out var day)
            || !TryDigits(s.Slice(11, 2), out var hour) || !TryDigits(s.Slice(14, 2), out var minute) || !TryDigits(s.Slice(17, 2), out var second))
        {
            return false;
        }

        var pos = 19;
        long ticks = 0;
        if (s[pos] == '.')
        {
            var start = ++pos;
            while (pos < s.Length && s[pos] - '0' is >= 0 and <= 9)
            {
                ticks = (ticks * 10) + (s[pos] - '0');
                pos++;
            }

            var digits = pos - start;
            if (digits is 0 or > 7)
            {
                return false;
            }

            for (var i = digits; i < 7; i++)
            {
                ticks *= 10;
            }
        }

        TimeSpan offset;
        var rest = s[pos..];
        if (rest.Length == 1 && rest[0] == 'Z')
        {
            offset = TimeSpan.Zero;
        }
        else if (rest.Length == 6 && rest[0] is (byte)'+' or (byte)'-' && rest[3] == ':'
            && TryDigits(rest.Slice(1, 2), out var offsetHours) && TryDigits(rest.Slice(4, 2), out var offsetMinutes)
            && offsetHours <= 14 && offsetMinutes <= 59)
        {
            offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            if (rest[0] == '-')
            {
                offset = -offset;
            }
        }
        else
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59
            || offset.Duration() > TimeSpan.FromHours(14))
        {
            return false;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).Ticks + ticks;
        var utc = local - offset.Ticks;
        if (utc < DateTime.MinValue.Ticks || utc > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        value = new DateTimeOffset(local, offset);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var b in digits)
        {
            var d = b - '0';
            if (d is < 0 or > 9)
            {
                return false;
            }

            value = (value * 10) + d;
        }

        return true;
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

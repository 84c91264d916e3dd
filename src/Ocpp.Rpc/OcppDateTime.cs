using System.Text;

namespace Ocpp.Rpc;

/// <summary>
/// OCPP's <c>date-time</c>: the one RFC 3339 §5.6 parser and formatter of the library. Strict mode accepts exactly the
/// values that the typed messages read, so a message that passes validation always deserializes.
/// </summary>
/// <remarks>
/// Accepted: <c>YYYY-MM-DD</c>, <c>T</c> or <c>t</c>, <c>hh:mm:ss</c>, an optional fraction of one or more digits (those
/// below 100 ns are dropped), then <c>Z</c>, <c>z</c> or <c>±hh:mm</c> (hours 00–23). Month, day-of-month (leap years
/// included), hour, minute and second ranges are checked. An offset beyond ±14:00, which <see cref="DateTimeOffset"/>
/// cannot hold, is read as the same instant in UTC. Rejected although RFC 3339 allows them, because .NET cannot
/// represent them: a leap second (<c>:60</c>), the year 0000, and instants before 0001-01-01 or after 9999-12-31 UTC.
/// </remarks>
public static class OcppDateTime
{
    /// <summary>The longest text <see cref="TryFormat"/> writes (<c>yyyy-MM-ddTHH:mm:ss.fffffff+hh:mm</c>).</summary>
    public const int MaxFormattedLength = 33;

    private static readonly TimeSpan MaxOffset = TimeSpan.FromHours(14);

    /// <summary>Parses an RFC 3339 <c>date-time</c> given as UTF-8.</summary>
    /// <param name="utf8">The text, without quotes.</param>
    /// <param name="value">The value read, with its offset (UTC when the offset is beyond ±14:00).</param>
    /// <returns>Whether <paramref name="utf8"/> is a <c>date-time</c> as described on <see cref="OcppDateTime"/>.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out DateTimeOffset value)
    {
        value = default;
        ReadOnlySpan<byte> s = utf8;
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || (s[10] | 0x20) != 't' || s[13] != ':' || s[16] != ':'
            || !TryDigits(s[..4], out int year) || !TryDigits(s.Slice(5, 2), out int month) || !TryDigits(s.Slice(8, 2), out int day)
            || !TryDigits(s.Slice(11, 2), out int hour) || !TryDigits(s.Slice(14, 2), out int minute) || !TryDigits(s.Slice(17, 2), out int second))
        {
            return false;
        }

        int pos = 19;
        long fraction = 0;
        if (s[pos] == '.')
        {
            int start = ++pos;
            while (pos < s.Length && IsDigit(s[pos]))
            {
                if (pos - start < 7)
                {
                    fraction = (fraction * 10) + (s[pos] - '0');
                }

                pos++;
            }

            int digits = pos - start;
            if (digits == 0)
            {
                return false;
            }

            for (int i = digits; i < 7; i++)
            {
                fraction *= 10;
            }
        }

        int offsetMinutes;
        ReadOnlySpan<byte> rest = s[pos..];
        if (rest.Length == 1 && (rest[0] | 0x20) == 'z')
        {
            offsetMinutes = 0;
        }
        else if (rest.Length == 6 && rest[0] is (byte)'+' or (byte)'-' && rest[3] == ':'
            && TryDigits(rest.Slice(1, 2), out int oh) && TryDigits(rest.Slice(4, 2), out int om) && oh <= 23 && om <= 59)
        {
            offsetMinutes = rest[0] == '-' ? -((oh * 60) + om) : (oh * 60) + om;
        }
        else
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        long local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).Ticks + fraction;
        long offsetTicks = offsetMinutes * TimeSpan.TicksPerMinute;
        long utc = local - offsetTicks;
        if (utc < DateTime.MinValue.Ticks || utc > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        var offset = new TimeSpan(offsetTicks);
        value = offset.Duration() <= MaxOffset
            ? new DateTimeOffset(local, offset)
            : new DateTimeOffset(utc, TimeSpan.Zero);
        return true;
    }

    /// <summary>Parses an RFC 3339 <c>date-time</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The value read, with its offset (UTC when the offset is beyond ±14:00).</param>
    /// <returns>Whether <paramref name="text"/> is a <c>date-time</c> as described on <see cref="OcppDateTime"/>.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length > 64)
        {
            return TryParseLong(text, out value);
        }

        Span<byte> utf8 = stackalloc byte[64];
        return Ascii.FromUtf16(text, utf8, out int written) == System.Buffers.OperationStatus.Done && TryParse(utf8[..written], out value);
    }

    /// <summary>Whether <paramref name="text"/> is an RFC 3339 <c>date-time</c> that <see cref="TryParse(ReadOnlySpan{char}, out DateTimeOffset)"/> reads.</summary>
    /// <param name="text">The text.</param>
    /// <returns>Whether it parses.</returns>
    public static bool IsValid(ReadOnlySpan<char> text) => TryParse(text, out _);

    /// <summary>
    /// Writes a value as UTF-8 RFC 3339: its own offset, a zero offset as <c>Z</c>, a fraction only when it has one
    /// (milliseconds as <c>.fff</c> when exact, otherwise up to seven digits without trailing zeros).
    /// </summary>
    /// <param name="value">The value.</param>
    /// <param name="utf8">Where to write; <see cref="MaxFormattedLength"/> bytes always suffice.</param>
    /// <param name="written">The bytes written.</param>
    /// <returns>False when <paramref name="utf8"/> is too short (nothing is written then).</returns>
    public static bool TryFormat(DateTimeOffset value, Span<byte> utf8, out int written)
    {
        written = 0;
        if (utf8.Length < MaxFormattedLength)
        {
            Span<byte> scratch = stackalloc byte[MaxFormattedLength];
            int length = Write(value, scratch);
            if (length > utf8.Length)
            {
                return false;
            }

            scratch[..length].CopyTo(utf8);
            written = length;
            return true;
        }

        written = Write(value, utf8);
        return true;
    }

    /// <summary>Formats a value as <see cref="TryFormat"/> writes it.</summary>
    /// <param name="value">The value.</param>
    /// <returns>For example <c>2025-01-31T12:00:00Z</c>, <c>2025-01-31T12:00:00.123+02:00</c>.</returns>
    public static string Format(DateTimeOffset value)
    {
        Span<byte> buffer = stackalloc byte[MaxFormattedLength];
        return Encoding.ASCII.GetString(buffer[..Write(value, buffer)]);
    }

    // Digits are written directly: a custom format string would be parsed on every call, and this runs for every
    // timestamp of every typed message.
    private static int Write(DateTimeOffset value, Span<byte> buffer)
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
        int pos = 19;
        int fraction = (int)(value.Ticks % TimeSpan.TicksPerSecond);
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
                int digits = 7;
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
            int minutes = Math.Abs((int)offset.TotalMinutes);
            Digits(buffer, pos, minutes / 60, 2);
            buffer[pos + 2] = (byte)':';
            Digits(buffer, pos + 3, minutes % 60, 2);
            pos += 5;
        }

        return pos;
    }

    // Text longer than any stack buffer here: only a long fraction makes a valid one (e.g. 60 digits).
    private static bool TryParseLong(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        byte[] utf8 = new byte[text.Length];
        return Ascii.FromUtf16(text, utf8, out int written) == System.Buffers.OperationStatus.Done && TryParse(utf8.AsSpan(0, written), out value);
    }

    private static void Digits(Span<byte> buffer, int start, int value, int count)
    {
        for (int i = start + count - 1; i >= start; i--)
        {
            buffer[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static bool TryDigits(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (byte b in digits)
        {
            if (!IsDigit(b))
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }
}

using Newtonsoft.Json.Linq;
using NJsonSchema.Validation;
using NJsonSchema.Validation.FormatValidators;

namespace Ocpp.Rpc.Validation.Internal;

/// <summary>Strict RFC 3339 <c>date-time</c>: <c>full-date "T" full-time</c>, seconds required, offset required.</summary>
internal static class Rfc3339
{
    /// <summary>
    /// Whether <paramref name="s"/> is an RFC 3339 §5.6 <c>date-time</c>: <c>YYYY-MM-DD</c>, <c>T</c> (or <c>t</c>),
    /// <c>hh:mm:ss</c>, an optional fraction of one or more digits, then <c>Z</c> (or <c>z</c>) or <c>±hh:mm</c>.
    /// Month, day-of-month (leap years included), hour, minute and offset ranges are checked. A leap second
    /// (<c>:60</c>) is rejected because .NET date types cannot represent it.
    /// </summary>
    public static bool IsValidDateTime(ReadOnlySpan<char> s)
    {
        // yyyy-mm-ddThh:mm:ssZ is the shortest form (20 characters).
        if (s.Length < 20
            || !TryDigits(s, 0, 4, out int year) || s[4] != '-'
            || !TryDigits(s, 5, 2, out int month) || s[7] != '-'
            || !TryDigits(s, 8, 2, out int day)
            || (s[10] != 'T' && s[10] != 't')
            || !TryDigits(s, 11, 2, out int hour) || s[13] != ':'
            || !TryDigits(s, 14, 2, out int minute) || s[16] != ':'
            || !TryDigits(s, 17, 2, out int second))
        {
            return false;
        }

        if (month is < 1 or > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        int i = 19;
        if (s[i] == '.')
        {
            int start = ++i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == start)
            {
                return false;
            }
        }

        if (i >= s.Length)
        {
            return false;
        }

        if (s[i] is 'Z' or 'z')
        {
            return i + 1 == s.Length;
        }

        return s[i] is '+' or '-'
            && s.Length - i == 6
            && TryDigits(s, i + 1, 2, out int offsetHour) && offsetHour <= 23
            && s[i + 3] == ':'
            && TryDigits(s, i + 4, 2, out int offsetMinute) && offsetMinute <= 59;
    }

    private static int DaysInMonth(int year, int month) => month switch
    {
        2 => (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    private static bool TryDigits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        for (int i = start; i < start + count; i++)
        {
            char c = s[i];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}

/// <summary>Replaces NJsonSchema's lax <c>date-time</c> check (which accepts a missing offset) with <see cref="Rfc3339"/>.</summary>
internal sealed class StrictDateTimeFormatValidator : IFormatValidator
{
    public string Format => "date-time";

    public ValidationErrorKind ValidationErrorKind => ValidationErrorKind.DateTimeExpected;

    public bool IsValid(string value, JTokenType tokenType) => value is not null && Rfc3339.IsValidDateTime(value);
}

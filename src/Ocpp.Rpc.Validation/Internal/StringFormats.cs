using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ocpp.Rpc.Validation.Internal;

/// <summary>The <c>format</c> values strict mode checks; any other format is an annotation only, as JSON Schema says.</summary>
internal enum StringFormat
{
    /// <summary>No format, or one that is not checked.</summary>
    None = 0,

    /// <summary><c>date-time</c>: RFC 3339 with seconds and an offset, read by <see cref="OcppDateTime"/>.</summary>
    DateTime,

    /// <summary><c>date</c>: RFC 3339 full-date.</summary>
    Date,

    /// <summary><c>time</c>: RFC 3339 full-time (with an offset).</summary>
    Time,

    /// <summary><c>uri</c>: an absolute URI.</summary>
    Uri,

    /// <summary><c>uri-reference</c>: an absolute or relative URI.</summary>
    UriReference,

    /// <summary><c>email</c>: <c>local@domain</c>, without spaces.</summary>
    Email,

    /// <summary><c>hostname</c>: RFC 1123 labels.</summary>
    Hostname,

    /// <summary><c>ipv4</c>: dotted quad.</summary>
    IPv4,

    /// <summary><c>ipv6</c>: RFC 4291 text form.</summary>
    IPv6,

    /// <summary><c>uuid</c>: RFC 4122 hyphenated form.</summary>
    Uuid,
}

/// <summary>Checks the <see cref="StringFormat"/>s; the fast path and the full validation call the same checks.</summary>
internal static class StringFormats
{
    /// <summary>The checked format named <paramref name="name"/>, or <see cref="StringFormat.None"/>.</summary>
    public static StringFormat Parse(string name) => name switch
    {
        "date-time" => StringFormat.DateTime,
        "date" => StringFormat.Date,
        "time" => StringFormat.Time,
        "uri" => StringFormat.Uri,
        "uri-reference" => StringFormat.UriReference,
        "email" => StringFormat.Email,
        "hostname" => StringFormat.Hostname,
        "ipv4" => StringFormat.IPv4,
        "ipv6" => StringFormat.IPv6,
        "uuid" => StringFormat.Uuid,
        _ => StringFormat.None,
    };

    /// <summary>Whether the UTF-8 <paramref name="value"/> (valid UTF-8, unescaped) has the format.</summary>
    public static bool IsValid(StringFormat format, ReadOnlySpan<byte> value) =>
        format switch
        {
            StringFormat.None => true,
            StringFormat.DateTime => OcppDateTime.TryParse(value, out _),
            _ => IsValid(format, Encoding.UTF8.GetString(value)),
        };

    /// <summary>Whether <paramref name="value"/> has the format.</summary>
    public static bool IsValid(StringFormat format, string value) =>
        format switch
        {
            StringFormat.None => true,
            StringFormat.DateTime => OcppDateTime.IsValid(value),
            StringFormat.Date => System.DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            StringFormat.Time => IsTime(value),
            StringFormat.Uri => System.Uri.TryCreate(value, UriKind.Absolute, out _),
            StringFormat.UriReference => System.Uri.TryCreate(value, UriKind.RelativeOrAbsolute, out _),
            StringFormat.Email => IsEmail(value),
            StringFormat.Hostname => IsHostname(value),
            StringFormat.IPv4 => IsAddress(value, AddressFamily.InterNetwork),
            StringFormat.IPv6 => IsAddress(value, AddressFamily.InterNetworkV6),
            StringFormat.Uuid => value.Length == 36 && Guid.TryParseExact(value, "D", out _),
            _ => true,
        };

    // full-time: a date-time's time part; checked as that time on a fixed valid date.
    private static bool IsTime(string value) => value.Length > 0 && char.IsAsciiDigit(value[0]) && OcppDateTime.IsValid("2000-01-01T" + value);

    private static bool IsEmail(string value)
    {
        int at = value.IndexOf('@');
        return at > 0 && at == value.LastIndexOf('@') && at < value.Length - 1
            && !value.AsSpan().ContainsAny(" \t\r\n") && IsHostname(value[(at + 1)..]);
    }

    private static bool IsHostname(string value)
    {
        if (value.Length is 0 or > 253)
        {
            return false;
        }

        foreach (string label in value.TrimEnd('.').Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-'
                || label.AsSpan().ContainsAnyExcept("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAddress(string value, AddressFamily family) =>
        !value.Contains('%') && IPAddress.TryParse(value, out IPAddress? address) && address.AddressFamily == family
        && (family != AddressFamily.InterNetwork || value.Split('.').Length == 4);
}

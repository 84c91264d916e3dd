using System.Text;
using System.Text.Unicode;

namespace Ocpp.Rpc.AspNetCore.Internal;

/// <summary>
/// Splits the raw request target into endpoint path and identity and percent-decodes the identity strictly. Works on
/// the raw target because Kestrel pre-decodes <c>Path</c> (leniently, and not <c>%2F</c>).
/// </summary>
internal static class IdentityPath
{
    /// <summary>The longest identity OCPP allows (2.0.1/2.1: identifierString of 48).</summary>
    public const int MaxIdentityLength = 48;

    /// <summary>Why an identity was refused.</summary>
    public enum Problem
    {
        None,
        Missing,
        MalformedEncoding,
        TooLong,
        ForbiddenCharacter,
    }

    /// <summary>Splits <paramref name="rawTarget"/> (path and query as sent) and decodes the last path segment.</summary>
    public static Problem TryParse(string rawTarget, out string endpointPath, out string identity)
    {
        endpointPath = string.Empty;
        identity = string.Empty;
        string path = StripToPath(rawTarget);
        int slash = path.LastIndexOf('/');
        if (slash < 0)
        {
            return Problem.Missing;
        }

        endpointPath = path[..slash];
        ReadOnlySpan<char> encoded = path.AsSpan(slash + 1);
        if (encoded.IsEmpty)
        {
            return Problem.Missing;
        }

        if (!TryPercentDecode(encoded, out string? decoded))
        {
            return Problem.MalformedEncoding;
        }

        identity = decoded;
        return Validate(decoded);
    }

    /// <summary>Checks length and the identifierString alphabet <c>a-zA-Z0-9*-_=:+|@.</c>.</summary>
    public static Problem Validate(string identity)
    {
        if (identity.Length == 0)
        {
            return Problem.Missing;
        }

        if (identity.Length > MaxIdentityLength)
        {
            return Problem.TooLong;
        }

        foreach (char c in identity)
        {
            if (!IsIdentifierChar(c))
            {
                return Problem.ForbiddenCharacter;
            }
        }

        return Problem.None;
    }

    private static bool IsIdentifierChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '*' or '-' or '_' or '=' or ':' or '+' or '|' or '@' or '.';

    // Absolute-form targets (http://host/path) keep only the path; the query is dropped. A '#' never belongs in a
    // request target, so it stays and fails the identity check.
    private static string StripToPath(string rawTarget)
    {
        string target = rawTarget;
        int query = target.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            target = target[..query];
        }

        if (!target.StartsWith('/'))
        {
            int scheme = target.IndexOf("://", StringComparison.Ordinal);
            if (scheme >= 0)
            {
                int pathStart = target.IndexOf('/', scheme + 3);
                target = pathStart >= 0 ? target[pathStart..] : "/";
            }
        }

        return target;
    }

    // Strict RFC 3986 decoding: every '%' needs two hex digits and the bytes must be valid UTF-8.
    private static bool TryPercentDecode(ReadOnlySpan<char> encoded, out string decoded)
    {
        decoded = string.Empty;
        if (!encoded.Contains('%'))
        {
            decoded = encoded.ToString();
            return true;
        }

        if (encoded.Length > MaxIdentityLength * 3 * 4)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[encoded.Length];
        int count = 0;
        for (int i = 0; i < encoded.Length; i++)
        {
            char c = encoded[i];
            if (c == '%')
            {
                if (i + 2 >= encoded.Length || !char.IsAsciiHexDigit(encoded[i + 1]) || !char.IsAsciiHexDigit(encoded[i + 2]))
                {
                    return false;
                }

                bytes[count++] = (byte)((HexValue(encoded[i + 1]) << 4) | HexValue(encoded[i + 2]));
                i += 2;
            }
            else if (c > 0x7F)
            {
                return false;
            }
            else
            {
                bytes[count++] = (byte)c;
            }
        }

        ReadOnlySpan<byte> utf8 = bytes[..count];
        if (!Utf8.IsValid(utf8))
        {
            return false;
        }

        decoded = Encoding.UTF8.GetString(utf8);
        return true;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

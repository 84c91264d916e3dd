using System.Buffers.Text;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Ocpp.Rpc.AspNetCore.Internal;

/// <summary>Reads an HTTP Basic <c>Authorization</c> header (RFC 7617) whose username must be the identity.</summary>
internal static class BasicCredentials
{
    public enum Outcome
    {
        Missing,
        Malformed,
        WrongUsername,
        Valid,
    }

    /// <summary>Decodes the header (an empty password counts as missing); the password is everything after "identity:" (binary-safe, may contain ':').</summary>
    public static Outcome TryRead(StringValues authorization, string identity, out byte[]? password)
    {
        password = null;
        if (StringValues.IsNullOrEmpty(authorization))
        {
            return Outcome.Missing;
        }

        if (authorization.Count != 1)
        {
            return Outcome.Malformed;
        }

        string header = authorization[0]!.Trim();
        const string Scheme = "Basic ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return Outcome.Malformed;
        }

        string encoded = header[Scheme.Length..].Trim();
        byte[] decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(encoded.Length)];
        if (!Convert.TryFromBase64String(encoded, decoded, out int length))
        {
            return Outcome.Malformed;
        }

        ReadOnlySpan<byte> credentials = decoded.AsSpan(0, length);
        int colon = credentials.IndexOf((byte)':');
        if (colon < 0)
        {
            return Outcome.Malformed;
        }

        // The identity itself may contain ':' (allowed before 2.1), so match it as a prefix rather than split at the first ':'.
        byte[] user = Encoding.UTF8.GetBytes(identity);
        if (credentials.Length <= user.Length || !credentials.StartsWith(user) || credentials[user.Length] != (byte)':')
        {
            return Outcome.WrongUsername;
        }

        if (credentials.Length == user.Length + 1)
        {
            return Outcome.Missing;
        }

        password = credentials[(user.Length + 1)..].ToArray();
        return Outcome.Valid;
    }
}

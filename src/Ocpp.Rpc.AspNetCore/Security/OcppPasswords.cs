using System.Security.Cryptography;
using System.Text;

namespace Ocpp.Rpc.AspNetCore;

/// <summary>Constant-time comparison of a received Basic-auth password with a configured one.</summary>
public static class OcppPasswords
{
    /// <summary>Whether <paramref name="received"/> equals <paramref name="expected"/> encoded as UTF-8 (OCPP 2.0.1/2.1 passwords).</summary>
    /// <param name="received">The password bytes as sent.</param>
    /// <param name="expected">The configured password.</param>
    public static bool EqualsUtf8(ReadOnlySpan<byte> received, string expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        byte[] bytes = Encoding.UTF8.GetBytes(expected);
        try
        {
            return CryptographicOperations.FixedTimeEquals(received, bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>
    /// Whether <paramref name="received"/> equals the bytes written as hex digits in <paramref name="expectedHex"/>
    /// (an OCPP 1.6 AuthorizationKey: up to 40 hex digits, i.e. up to 20 bytes that may be binary).
    /// </summary>
    /// <param name="received">The password bytes as sent.</param>
    /// <param name="expectedHex">The configured key in hex (even length, any case).</param>
    /// <exception cref="FormatException"><paramref name="expectedHex"/> is not hex.</exception>
    public static bool EqualsHex(ReadOnlySpan<byte> received, string expectedHex)
    {
        ArgumentNullException.ThrowIfNull(expectedHex);
        byte[] bytes = Convert.FromHexString(expectedHex);
        try
        {
            return CryptographicOperations.FixedTimeEquals(received, bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}

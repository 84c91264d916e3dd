using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ocpp.Rpc.Samples.Csms;

/// <summary>
/// One Basic-auth secret per station (security profiles 1 and 2), stored as PBKDF2-SHA256 hashes, one line per station:
/// <c>IDENTITY:pbkdf2-sha256$ITERATIONS$BASE64-SALT$BASE64-HASH</c>. Blank lines and <c>#</c> comments are skipped.
/// Make a line with <c>hash-password</c> (<see cref="HashLine"/>). Depends on the BCL only, so it can be copied as is.
/// </summary>
/// <remarks>
/// A shared password would let any station that knows it connect as any other, and since a new connection replaces
/// the old one, take the other's place. With one secret per identity, only the holder of a station's secret can be it.
/// </remarks>
internal sealed class StationCredentials
{
    /// <summary>The hash scheme written in every line.</summary>
    public const string Scheme = "pbkdf2-sha256";

    /// <summary>PBKDF2 iterations of new hashes.</summary>
    public const int DefaultIterations = 100_000;

    /// <summary>OCPP 2.0.1 passwords are 16 to 40 characters (1.6: 16 to 20 bytes).</summary>
    public const int MinPasswordLength = 16;

    /// <summary>See <see cref="MinPasswordLength"/>.</summary>
    public const int MaxPasswordLength = 40;

    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private const int MaxIterations = 10_000_000;
    private const int MaxIdentityLength = 48;
    private static readonly SearchValues<char> IdentityChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789*-_=:+|@.");

    private readonly FrozenDictionary<string, Entry> _entries;
    private readonly Entry _dummy;

    private StationCredentials(Dictionary<string, Entry> entries)
    {
        _entries = entries.ToFrozenDictionary(StringComparer.Ordinal);

        // Unknown identities cost as much as the dearest known one, so timing does not tell which identities exist.
        int iterations = entries.Count == 0 ? DefaultIterations : entries.Values.Max(e => e.Iterations);
        _dummy = new Entry(iterations, RandomNumberGenerator.GetBytes(SaltBytes), RandomNumberGenerator.GetBytes(HashBytes));
    }

    /// <summary>How many stations have a secret.</summary>
    public int Count => _entries.Count;

    /// <summary>Reads a credentials file.</summary>
    /// <exception cref="InvalidDataException">A malformed or duplicate line (the message names its number).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static StationCredentials Load(string path) => Parse(File.ReadLines(path), path);

    /// <summary>Reads the lines of a credentials file; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="InvalidDataException">A malformed or duplicate line (the message names its number).</exception>
    public static StationCredentials Parse(IEnumerable<string> lines, string source = "credentials")
    {
        ArgumentNullException.ThrowIfNull(lines);
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        int number = 0;
        foreach (string raw in lines)
        {
            number++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            // Identities may contain ':' (before OCPP 2.1) but the hash never does: split at the last one.
            int colon = line.LastIndexOf(':');
            string identity = colon > 0 ? line[..colon] : string.Empty;
            if (!IsValidIdentity(identity))
            {
                throw new InvalidDataException($"{source} line {number}: expected IDENTITY:{Scheme}$ITERATIONS$SALT$HASH with an OCPP identity (1-48 of a-z A-Z 0-9 *-_=:+|@.).");
            }

            if (!TryParseHash(line[(colon + 1)..], out Entry? entry))
            {
                throw new InvalidDataException($"{source} line {number}: the hash of {identity} is not {Scheme}$ITERATIONS$BASE64-SALT$BASE64-HASH (16-byte salt, 32-byte hash); make one with hash-password.");
            }

            if (!entries.TryAdd(identity, entry))
            {
                throw new InvalidDataException($"{source} line {number}: {identity} is listed twice.");
            }
        }

        return new StationCredentials(entries);
    }

    /// <summary>
    /// Whether <paramref name="password"/> (the bytes as sent, binary-safe for OCPP 1.6 keys) is the secret of
    /// <paramref name="identity"/>. An unknown identity is refused after the same work as a known one.
    /// </summary>
    public bool Verify(string identity, ReadOnlySpan<byte> password)
    {
        ArgumentNullException.ThrowIfNull(identity);
        bool known = _entries.TryGetValue(identity, out Entry? entry);
        entry ??= _dummy;
        Span<byte> hash = stackalloc byte[HashBytes];
        Rfc2898DeriveBytes.Pbkdf2(password, entry.Salt, hash, entry.Iterations, HashAlgorithmName.SHA256);
        bool equal = CryptographicOperations.FixedTimeEquals(hash, entry.Hash);
        return equal & known;
    }

    /// <summary>A credentials-file line for <paramref name="identity"/> with a fresh random salt.</summary>
    /// <exception cref="ArgumentException">Not an OCPP identity, or a password outside 16-40 bytes.</exception>
    public static string HashLine(string identity, ReadOnlySpan<byte> password, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (Problem(identity, password.Length) is { } problem)
        {
            throw new ArgumentException(problem, IsValidIdentity(identity) ? nameof(password) : nameof(identity));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        byte[] salt = RandomNumberGenerator.GetBytes(SaltBytes);
        byte[] hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{identity}:{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>The <c>hash-password</c> subcommand: <c>hash-password IDENTITY [--hex] [PASSWORD]</c>, the password read from the input when not given.</summary>
    /// <returns>The exit code: 0, or 2 for bad arguments.</returns>
    public static int RunHashPassword(IReadOnlyList<string> args, TextReader input, TextWriter output, TextWriter error, Func<string?>? readSecret = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        bool hex = args.Contains("--hex");
        string[] positional = [.. args.Where(a => a != "--hex")];
        if (positional.Length is < 1 or > 2)
        {
            error.WriteLine("Usage: hash-password IDENTITY [--hex] [PASSWORD]   (without PASSWORD, it is read from the input; --hex: a 1.6 AuthorizationKey in hex)");
            return 2;
        }

        string? secret = positional.Length == 2 ? positional[1] : (readSecret ?? input.ReadLine)();
        if (string.IsNullOrEmpty(secret))
        {
            error.WriteLine("No password given.");
            return 2;
        }

        byte[] password;
        try
        {
            password = hex ? Convert.FromHexString(secret) : Encoding.UTF8.GetBytes(secret);
        }
        catch (FormatException)
        {
            error.WriteLine("--hex needs an even number of hex digits.");
            return 2;
        }

        if (Problem(positional[0], password.Length) is { } problem)
        {
            error.WriteLine(problem);
            return 2;
        }

        output.WriteLine(HashLine(positional[0], password));
        CryptographicOperations.ZeroMemory(password);
        return 0;
    }

    // Why a line cannot be made for these, or null.
    private static string? Problem(string identity, int passwordLength) =>
        !IsValidIdentity(identity) ? $"'{identity}' is not an OCPP identity (1-48 of a-z A-Z 0-9 *-_=:+|@.)."
        : passwordLength is < MinPasswordLength or > MaxPasswordLength ? $"OCPP passwords are {MinPasswordLength} to {MaxPasswordLength} bytes; this one has {passwordLength}."
        : null;

    private static bool IsValidIdentity(string identity) =>
        identity.Length is > 0 and <= MaxIdentityLength && !identity.AsSpan().ContainsAnyExcept(IdentityChars);

    private static bool TryParseHash(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Entry? entry)
    {
        entry = null;
        string[] parts = text.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int iterations) || iterations is < 1 or > MaxIterations)
        {
            return false;
        }

        byte[] salt = new byte[SaltBytes];
        byte[] hash = new byte[HashBytes];
        if (!Convert.TryFromBase64String(parts[2], salt, out int saltLength) || saltLength != SaltBytes
            || !Convert.TryFromBase64String(parts[3], hash, out int hashLength) || hashLength != HashBytes)
        {
            return false;
        }

        entry = new Entry(iterations, salt, hash);
        return true;
    }

    private sealed record Entry(int Iterations, byte[] Salt, byte[] Hash);
}

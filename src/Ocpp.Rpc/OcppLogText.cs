using System.Buffers;
using System.Globalization;
using System.Text;

namespace Ocpp.Rpc;

/// <summary>
/// A value that came from the peer (a message id, an action, a description, a close reason) on its way into a log
/// event or a terminal. Formatting escapes control characters as <c>\uXXXX</c>, so a station cannot clear the
/// operator's terminal, set its title or forge log lines. Every event the library logs takes peer values this way;
/// use it as the parameter type of your own <c>[LoggerMessage]</c> methods too: nothing is scanned unless the event
/// is written.
/// </summary>
public readonly struct OcppLogText : IEquatable<OcppLogText>
{
    // C0 controls, DEL, C1 controls (0x9B is a one-byte CSI on some terminals), line/paragraph separators and the
    // bidirectional overrides and isolates that reorder what an operator reads.
    private static readonly SearchValues<char> Unsafe = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F" +
        "\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F" +
        "\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F" +
        "\u2028\u2029\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069");

    private readonly string? _value;

    /// <summary>Wraps a peer-supplied value.</summary>
    /// <param name="value">The value as received; <see langword="null"/> formats as <c>(null)</c>.</param>
    public OcppLogText(string? value)
    {
        _value = value;
    }

    /// <summary>The value as received, unescaped.</summary>
    public string? Value => _value;

    /// <summary>Wraps a peer-supplied value.</summary>
    /// <param name="value">The value as received.</param>
    public static implicit operator OcppLogText(string? value) => new(value);

    /// <summary>Wraps a peer-supplied value (the named form of the implicit conversion).</summary>
    /// <param name="value">The value as received.</param>
    /// <returns>The wrapped value.</returns>
    public static OcppLogText FromString(string? value) => new(value);

    /// <summary>Whether both wrap the same value.</summary>
    /// <param name="left">One value.</param>
    /// <param name="right">The other.</param>
    public static bool operator ==(OcppLogText left, OcppLogText right) => left.Equals(right);

    /// <summary>Whether they wrap different values.</summary>
    /// <param name="left">One value.</param>
    /// <param name="right">The other.</param>
    public static bool operator !=(OcppLogText left, OcppLogText right) => !left.Equals(right);

    /// <summary>
    /// The value with every control character (C0, DEL, C1), line or paragraph separator and bidirectional override
    /// written as <c>\uXXXX</c>; the same instance when it has none.
    /// </summary>
    /// <param name="value">A peer-supplied value.</param>
    /// <returns>The escaped value, or <see langword="null"/>.</returns>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(value))]
    public static string? Escape(string? value)
    {
        if (value is null)
        {
            return null;
        }

        int first = value.AsSpan().IndexOfAny(Unsafe);
        if (first < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 16);
        builder.Append(value, 0, first);
        foreach (char c in value.AsSpan(first))
        {
            if (Unsafe.Contains(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>The escaped value, or <c>(null)</c>.</summary>
    /// <returns>The text to write.</returns>
    public override string ToString() => Escape(_value) ?? "(null)";

    /// <inheritdoc/>
    public bool Equals(OcppLogText other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is OcppLogText other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);
}

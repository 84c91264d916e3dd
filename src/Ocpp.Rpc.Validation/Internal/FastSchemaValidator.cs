using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Ocpp.Rpc.Validation.Internal;

/// <summary>
/// The fast accept path of strict mode: one <see cref="Utf8JsonReader"/> pass over the payload against a compiled
/// <see cref="FastSchemaNode"/>, without allocating for the official schemas. It is sound, not complete:
/// <see langword="true"/> means <see cref="SchemaEvaluator"/> would report no error; <see langword="false"/> means
/// "invalid or not sure", and the caller then runs the full validation, which decides and describes the errors.
/// </summary>
internal static class FastSchemaValidator
{
    // Escaped strings are unescaped into a stack buffer of this size; longer ones go to the full validation.
    private const int MaxEscapedLength = 256;

    // A float is accepted against a bound only when it is clearly inside (it is parsed as a double here and compared
    // exactly as a decimal by the full validation), so no rounding can move it across.
    private const double BoundMargin = 1e-9;
    private const double MaxCheckedFloat = 1e15;

    /// <summary>Whether <paramref name="utf8"/> is certainly valid against <paramref name="root"/>.</summary>
    /// <param name="root">The compiled root schema (an object schema).</param>
    /// <param name="utf8">The payload.</param>
    /// <returns><see langword="true"/> only when the full validation would report no error.</returns>
    public static bool TryAccept(FastSchemaNode root, ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, PayloadReader.ReaderOptions);
        try
        {
            if (!reader.Read())
            {
                return false;
            }

            bool valid = reader.TokenType switch
            {
                JsonTokenType.StartObject => Object(root, ref reader),
                JsonTokenType.Null => root.RequiredMask == 0, // validated as {}
                _ => false,
            };
            return valid && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false; // invalid UTF-8 or UTF-16 in an escaped string
        }
    }

    private static bool Value(FastSchemaNode node, ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return (node.Types & SchemaTypes.Object) != 0 && node.Enum is null && Object(node, ref reader);

            case JsonTokenType.StartArray:
                return (node.Types & SchemaTypes.Array) != 0 && node.Enum is null && Array(node, ref reader);

            case JsonTokenType.String:
                return (node.Types & SchemaTypes.String) != 0 && String(node, ref reader);

            case JsonTokenType.Number:
                return node.Enum is null && Number(node, ref reader);

            case JsonTokenType.True:
            case JsonTokenType.False:
                // Only string enums are compiled: a boolean against an enum is left to the full validation.
                return (node.Types & SchemaTypes.Boolean) != 0 && node.Enum is null;

            case JsonTokenType.Null:
                return (node.Types & SchemaTypes.Null) != 0 && node.Enum is null;

            default:
                return false;
        }
    }

    private static bool Object(FastSchemaNode node, ref Utf8JsonReader reader)
    {
        byte[][] names = node.PropertyNames;
        ulong seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int index = reader.ValueIsEscaped ? IndexOfEscaped(names, ref reader) : IndexOf(names, reader.ValueSpan);
            if (index == Invalid)
            {
                return false;
            }

            reader.Read();
            if (index < 0)
            {
                if (!node.AllowAdditionalProperties || !Skip(ref reader))
                {
                    return false;
                }

                continue;
            }

            ulong bit = 1UL << index;
            if ((seen & bit) != 0)
            {
                return false; // duplicate: the parser keeps the last one; left to the full validation
            }

            seen |= bit;
            if (!Value(node.PropertySchemas[index], ref reader))
            {
                return false;
            }
        }

        return (seen & node.RequiredMask) == node.RequiredMask;
    }

    private static bool Array(FastSchemaNode node, ref Utf8JsonReader reader)
    {
        int count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            count++;
            if (!(node.Items is null ? Skip(ref reader) : Value(node.Items, ref reader)))
            {
                return false;
            }
        }

        return count >= node.MinItems && count <= node.MaxItems;
    }

    private static bool String(FastSchemaNode node, ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            ReadOnlySpan<byte> raw = reader.ValueSpan;
            return Utf8.IsValid(raw) && Text(node, raw);
        }

        Span<byte> buffer = stackalloc byte[MaxEscapedLength];
        int length = Unescape(ref reader, buffer);
        return length >= 0 && Text(node, buffer[..length]);
    }

    private static bool Text(FastSchemaNode node, ReadOnlySpan<byte> value)
    {
        if (node.Enum is { } values && !Contains(values, value))
        {
            return false;
        }

        // Lengths count code points: in valid UTF-8, the bytes that do not continue a sequence.
        if (value.Length > node.MaxLength || node.MinLength > 0)
        {
            int length = value.Length - CountContinuationBytes(value);
            if (length > node.MaxLength || length < node.MinLength)
            {
                return false;
            }
        }

        return StringFormats.IsValid(node.Format, value);
    }

    private static int CountContinuationBytes(ReadOnlySpan<byte> value)
    {
        int count = 0;
        foreach (byte b in value)
        {
            count += (b & 0xC0) == 0x80 ? 1 : 0;
        }

        return count;
    }

    private static bool Number(FastSchemaNode node, ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> raw = reader.ValueSpan;
        if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0)
        {
            // An integer token exactly when PayloadParser makes one; past 64 bits it is a float there: not sure here.
            decimal value;
            if (reader.TryGetInt64(out long l))
            {
                value = l;
            }
            else if (reader.TryGetUInt64(out ulong ul))
            {
                value = ul;
            }
            else
            {
                return false;
            }

            return (node.Types & (SchemaTypes.Integer | SchemaTypes.Number)) != 0 && (!node.HasNumberConstraints || IntegerInRange(node, value));
        }

        if ((node.Types & SchemaTypes.Number) == 0)
        {
            return false;
        }

        if (!node.HasNumberConstraints)
        {
            return true;
        }

        if (node.MultipleOf.HasValue || !double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
            || !double.IsFinite(d) || Math.Abs(d) > MaxCheckedFloat)
        {
            return false;
        }

        return Above(d, node.Minimum) && Above(d, node.ExclusiveMinimum) && Below(d, node.Maximum) && Below(d, node.ExclusiveMaximum);
    }

    // The same decimal comparisons the full validation makes for an integer token.
    private static bool IntegerInRange(FastSchemaNode node, decimal value) =>
        !(value < node.Minimum) && !(value <= node.ExclusiveMinimum) && !(value > node.Maximum) && !(value >= node.ExclusiveMaximum)
        && (node.MultipleOf is not { } m || value % m == 0);

    private static bool Above(double d, decimal? bound)
    {
        if (bound is null)
        {
            return true;
        }

        double b = (double)bound.Value;
        return d > b + (BoundMargin * Math.Max(1, Math.Abs(b)));
    }

    private static bool Below(double d, decimal? bound)
    {
        if (bound is null)
        {
            return true;
        }

        double b = (double)bound.Value;
        return d < b - (BoundMargin * Math.Max(1, Math.Abs(b)));
    }

    /// <summary>Skips a value that no schema constrains, still checking what the parser would reject (invalid UTF-8).</summary>
    private static bool Skip(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
        {
            return IsValidText(ref reader);
        }

        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return true;
        }

        int depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && !IsValidText(ref reader))
            {
                return false;
            }
        }

        return true;
    }

    private const int Invalid = -2;

    private static int IndexOf(byte[][] names, ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < names.Length; i++)
        {
            if (name.SequenceEqual(names[i]))
            {
                return i;
            }
        }

        return Utf8.IsValid(name) ? -1 : Invalid;
    }

    private static int IndexOfEscaped(byte[][] names, ref Utf8JsonReader reader)
    {
        Span<byte> buffer = stackalloc byte[MaxEscapedLength];
        int length = Unescape(ref reader, buffer);
        return length >= 0 ? IndexOf(names, buffer[..length]) : Invalid;
    }

    private static bool IsValidText(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return Utf8.IsValid(reader.ValueSpan);
        }

        Span<byte> buffer = stackalloc byte[MaxEscapedLength];
        return Unescape(ref reader, buffer) >= 0;
    }

    /// <summary>Unescapes the current string or property name into <paramref name="buffer"/>: its length, or -1 when it is not valid UTF-8 or too long to unescape here.</summary>
    private static int Unescape(ref Utf8JsonReader reader, scoped Span<byte> buffer)
    {
        if (reader.ValueSpan.Length > buffer.Length)
        {
            return -1;
        }

        int written = reader.CopyString(buffer);
        return Utf8.IsValid(buffer[..written]) ? written : -1;
    }

    private static bool Contains(byte[][] values, ReadOnlySpan<byte> value)
    {
        foreach (byte[] candidate in values)
        {
            if (value.SequenceEqual(candidate))
            {
                return true;
            }
        }

        return false;
    }

}

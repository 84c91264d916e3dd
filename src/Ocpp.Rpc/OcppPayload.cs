using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ocpp.Rpc;

/// <summary>
/// A payload to send: raw UTF-8 JSON, a <see cref="JsonElement"/>, or a typed value with its source-generated
/// <see cref="JsonTypeInfo"/>. Typed values are serialized straight into the outgoing frame, never into an
/// intermediate string.
/// </summary>
public readonly struct OcppPayload
{
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    private readonly object? _value;
    private readonly JsonTypeInfo? _typeInfo;
    private readonly ReadOnlyMemory<byte> _utf8;
    private readonly JsonElement _element;
    private readonly Kind _kind;

    private OcppPayload(Kind kind, object? value = null, JsonTypeInfo? typeInfo = null, ReadOnlyMemory<byte> utf8 = default, JsonElement element = default)
    {
        _kind = kind;
        _value = value;
        _typeInfo = typeInfo;
        _utf8 = utf8;
        _element = element;
    }

    private enum Kind
    {
        Empty,
        Utf8,
        Element,
        Typed,
    }

    /// <summary>The empty object <c>{}</c> (also what <c>default(OcppPayload)</c> sends).</summary>
    public static OcppPayload Empty => default;

    /// <summary>A payload from JSON text. It must be an object or <c>null</c>; this is checked when it is written.</summary>
    /// <param name="json">JSON text, e.g. <c>{"currentTime":"2025-01-01T00:00:00Z"}</c>.</param>
    public static OcppPayload FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new OcppPayload(Kind.Utf8, utf8: Encoding.UTF8.GetBytes(json));
    }

    /// <summary>A payload from UTF-8 JSON bytes. It must be an object or <c>null</c>; this is checked when it is written.</summary>
    /// <param name="utf8Json">The bytes; they must stay unchanged until the send completes.</param>
    public static OcppPayload FromUtf8Json(ReadOnlyMemory<byte> utf8Json) => new(Kind.Utf8, utf8: utf8Json);

    /// <summary>A payload from a parsed JSON element (an object or <c>null</c>).</summary>
    /// <param name="element">The element.</param>
    public static OcppPayload FromElement(JsonElement element) => new(Kind.Element, element: element);

    /// <summary>A typed payload serialized with source-generated metadata (no reflection).</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="typeInfo">Its metadata, e.g. <c>MyJsonContext.Default.MyRequest</c>.</param>
    public static OcppPayload From<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return new OcppPayload(Kind.Typed, value, typeInfo);
    }

    /// <summary>Converts a <see cref="JsonElement"/> to a payload.</summary>
    /// <param name="element">The element.</param>
    public static implicit operator OcppPayload(JsonElement element) => FromElement(element);

    /// <summary>The payload as a parsed element (serialized first when typed).</summary>
    internal JsonElement ToElement()
    {
        if (_kind == Kind.Element)
        {
            return _element;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteTo(writer);
        }

        return JsonElement.Parse(buffer.WrittenSpan);
    }

    /// <summary>Writes the payload as one JSON value (as it would be sent), e.g. to inspect a handler's reply in a call filter.</summary>
    /// <param name="writer">The writer.</param>
    /// <exception cref="ArgumentException">Raw JSON or an element that is not an object or <c>null</c>.</exception>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (_kind)
        {
            case Kind.Utf8:
                EnsureObjectOrNull(_utf8.Span);
                writer.WriteRawValue(_utf8.Span, skipInputValidation: false);
                break;
            case Kind.Element:
                if (_element.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
                {
                    throw new ArgumentException($"An OCPP payload must be a JSON object or null, not {_element.ValueKind}.");
                }

                _element.WriteTo(writer);
                break;
            case Kind.Typed:
                JsonSerializer.Serialize(writer, _value, _typeInfo!);
                break;
            default:
                writer.WriteRawValue(EmptyObject, skipInputValidation: true);
                break;
        }
    }

    /// <summary>The payload as UTF-8 JSON bytes of its own (for a message store), checked to be an object or null.</summary>
    internal byte[] ToUtf8Array()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void EnsureObjectOrNull(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.Null))
        {
            throw new ArgumentException("An OCPP payload must be a JSON object or null.");
        }
    }
}

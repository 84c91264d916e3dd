using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ocpp.Rpc;

/// <summary>
/// The CALLRESULT of an outbound call as it passes back through the <see cref="IOcppOutboundCallFilter"/>s: the
/// typed response of a typed call (never re-serialized unless a filter asks for <see cref="ToElement"/>), or raw JSON.
/// A filter that short-circuits returns one made with <see cref="FromElement"/> or <see cref="From{T}"/>; the caller
/// receives it converted to the type it asked for.
/// </summary>
public readonly struct OcppCallResult
{
    private readonly object? _value;
    private readonly JsonTypeInfo? _typeInfo;
    private readonly JsonElement _element;
    private readonly Kind _kind;

    private OcppCallResult(Kind kind, object? value, JsonTypeInfo? typeInfo, JsonElement element)
    {
        _kind = kind;
        _value = value;
        _typeInfo = typeInfo;
        _element = element;
    }

    private enum Kind
    {
        None,
        Element,
        Typed,
    }

    /// <summary>No result: what a SEND's pipeline returns. A CALL given it answers <c>{}</c>.</summary>
    public static OcppCallResult None => default;

    /// <summary>Whether this is <see cref="None"/>.</summary>
    public bool IsNone => _kind == Kind.None;

    /// <summary>A result from raw JSON (an object or <c>null</c>).</summary>
    /// <param name="element">The CALLRESULT payload.</param>
    public static OcppCallResult FromElement(JsonElement element) => new(Kind.Element, null, null, element);

    /// <summary>A typed result.</summary>
    /// <typeparam name="T">The response type.</typeparam>
    /// <param name="value">The response.</param>
    /// <param name="typeInfo">Its source-generated metadata.</param>
    public static OcppCallResult From<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (typeof(T) == typeof(JsonElement))
        {
            return FromElement(Unsafe.As<T, JsonElement>(ref value));
        }

        return new OcppCallResult(Kind.Typed, value, typeInfo, default);
    }

    /// <summary>Converts a <see cref="JsonElement"/> to a result.</summary>
    /// <param name="element">The CALLRESULT payload.</param>
    public static implicit operator OcppCallResult(JsonElement element) => FromElement(element);

    /// <summary>The result as a <see cref="JsonElement"/> (a typed one is serialized; <see cref="None"/> is <c>{}</c>).</summary>
    public JsonElement ToElement() => _kind switch
    {
        Kind.Element => _element,
        Kind.Typed => JsonSerializer.SerializeToElement(_value, _typeInfo!),
        _ => JsonElement.Parse("{}"u8),
    };

    // The result as the caller's type: the typed value itself when it is one, otherwise converted through JSON.
    internal T As<T>(JsonTypeInfo<T> typeInfo)
    {
        if (typeof(T) == typeof(JsonElement))
        {
            JsonElement element = ToElement();
            if (element.ValueKind == JsonValueKind.Null)
            {
                element = JsonElement.Parse("{}"u8); // As a raw call answered null gets.
            }

            return Unsafe.As<JsonElement, T>(ref element);
        }

        if (_kind == Kind.Typed && _value is T typed)
        {
            return typed;
        }

        JsonElement json = ToElement();
        return (json.ValueKind == JsonValueKind.Null ? JsonElement.Parse("{}"u8) : json).Deserialize(typeInfo)
            ?? throw new JsonException("The response payload is null.");
    }
}

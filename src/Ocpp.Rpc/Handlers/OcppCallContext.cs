using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ocpp.Rpc;

/// <summary>One inbound CALL or SEND as seen by a handler.</summary>
public sealed class OcppCallContext
{
    private readonly ReadOnlyMemory<byte> _payload;
    private JsonElement? _element;

    internal OcppCallContext(OcppConnection connection, OcppMessageType messageType, string messageId, string action, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        Connection = connection;
        MessageType = messageType;
        MessageId = messageId;
        Action = action;
        _payload = payload;
        CancellationToken = cancellationToken;
    }

    /// <summary>The connection the call arrived on.</summary>
    public OcppConnection Connection { get; }

    /// <summary>The connection's subprotocol, e.g. <c>ocpp1.6</c>.</summary>
    public string? Protocol => Connection.Protocol;

    /// <summary>The station identity of the connection, when known.</summary>
    public string? Identity => Connection.Identity;

    /// <summary><see cref="OcppMessageType.Call"/>, or <see cref="OcppMessageType.Send"/> for a 2.1 SEND that gets no reply.</summary>
    public OcppMessageType MessageType { get; }

    /// <summary>The message id of the call.</summary>
    public string MessageId { get; }

    /// <summary>The action name.</summary>
    public string Action { get; }

    /// <summary>The payload as UTF-8 JSON (an object or <c>null</c>). Valid until the handler's task completes.</summary>
    public ReadOnlyMemory<byte> Payload => _payload;

    /// <summary>Cancelled when the connection closes or drops while the handler runs.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The payload parsed as a <see cref="JsonElement"/> (parsed on first use, valid after the handler).</summary>
    public JsonElement PayloadElement => _element ??= JsonElement.Parse(_payload.Span);

    /// <summary>Deserializes the payload with source-generated metadata; a JSON <c>null</c> payload reads as <c>{}</c>.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="typeInfo">Its metadata.</param>
    /// <exception cref="JsonException">The payload does not fit <typeparamref name="T"/>; the engine answers FormatViolation.</exception>
    public T Deserialize<T>(JsonTypeInfo<T> typeInfo)
    {
        ReadOnlySpan<byte> json = _payload.Span;
        if (json.SequenceEqual("null"u8))
        {
            json = "{}"u8;
        }

        return JsonSerializer.Deserialize(json, typeInfo) ?? throw new JsonException("The payload is null.");
    }
}

using System.Text.Json;

namespace Ocpp.Rpc;

/// <summary>One outbound CALL or SEND as seen by an <see cref="IOcppOutboundCallFilter"/>.</summary>
public sealed class OcppOutboundCallContext
{
    private JsonElement? _element;

    internal OcppOutboundCallContext(OcppConnection connection, OcppMessageType messageType, string messageId, string action, OcppPayload payload, OcppCallOptions? options, CancellationToken cancellationToken)
    {
        Connection = connection;
        MessageType = messageType;
        MessageId = messageId;
        Action = action;
        Payload = payload;
        Options = options;
        CancellationToken = cancellationToken;
    }

    /// <summary>The connection the call goes out on.</summary>
    public OcppConnection Connection { get; }

    /// <summary>The connection's subprotocol, e.g. <c>ocpp1.6</c>.</summary>
    public string? Protocol => Connection.Protocol;

    /// <summary>The station identity of the connection (see <see cref="OcppConnection.Identity"/>).</summary>
    public string Identity => Connection.Identity;

    /// <summary><see cref="OcppMessageType.Call"/>, or <see cref="OcppMessageType.Send"/> for a one-way 2.1 SEND.</summary>
    public OcppMessageType MessageType { get; }

    /// <summary>The message id the call will be sent with (the caller's <see cref="OcppCallOptions.MessageId"/>, or a generated one).</summary>
    public string MessageId { get; }

    /// <summary>The action name.</summary>
    public string Action { get; }

    /// <summary>The request payload, not yet serialized.</summary>
    public OcppPayload Payload { get; }

    /// <summary>The caller's per-call options, if any.</summary>
    public OcppCallOptions? Options { get; }

    /// <summary>The caller's cancellation.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The payload as a <see cref="JsonElement"/>, serialized on first use (for logs; a typed payload costs one extra serialization).</summary>
    public JsonElement PayloadElement => _element ??= Payload.ToElement();

    // The last stage: the connection's send of this call, made by the generic CallAsync that knows the response type.
    internal OcppOutboundCallHandler? Terminal { get; init; }

    internal object? ResponseType { get; init; }
}

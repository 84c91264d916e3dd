using System.Text.Json.Serialization.Metadata;

namespace Ocpp.Rpc;

/// <summary>
/// A typed OCPP request: the type carries its action name, its protocol and its response type, so
/// <c>await connection.CallAsync(new BootNotificationRequest { ... })</c> returns the matching response record.
/// Generated records in <c>Ocpp.Rpc.Messages</c> implement it; vendor messages may too.
/// </summary>
/// <typeparam name="TSelf">The request type itself.</typeparam>
/// <typeparam name="TResponse">The response type.</typeparam>
public interface IOcppRequest<TSelf, TResponse>
    where TSelf : IOcppRequest<TSelf, TResponse>
{
    /// <summary>The case-sensitive action name, e.g. <c>BootNotification</c>.</summary>
    static abstract string Action { get; }

    /// <summary>The subprotocol this message belongs to, e.g. <see cref="OcppProtocols.Ocpp16"/>.</summary>
    static abstract string Protocol { get; }

    /// <summary>Source-generated serialization metadata for the request (no reflection at run time).</summary>
    static abstract JsonTypeInfo<TSelf> RequestTypeInfo { get; }

    /// <summary>Source-generated serialization metadata for the response.</summary>
    static abstract JsonTypeInfo<TResponse> ResponseTypeInfo { get; }
}

/// <summary>
/// A typed one-way OCPP 2.1 SEND message (never answered), e.g. <c>NotifyPeriodicEventStream</c>.
/// </summary>
/// <typeparam name="TSelf">The message type itself.</typeparam>
public interface IOcppSendMessage<TSelf>
    where TSelf : IOcppSendMessage<TSelf>
{
    /// <summary>The case-sensitive action name.</summary>
    static abstract string Action { get; }

    /// <summary>The subprotocol this message belongs to.</summary>
    static abstract string Protocol { get; }

    /// <summary>Source-generated serialization metadata for the message.</summary>
    static abstract JsonTypeInfo<TSelf> MessageTypeInfo { get; }
}

namespace Ocpp.Rpc;

/// <summary>
/// Sees every OCPP-J message a connection reads or writes, as raw UTF-8 JSON: for a message log or traffic capture over
/// all stations. Set on <see cref="OcppConnectionOptions.MessageObservers"/>, it applies to every connection made with
/// those options (each station of a server, each reconnect of a client), so nothing needs re-subscribing.
/// </summary>
/// <remarks>
/// Called synchronously on the connection's receive loop (inbound, before the message is parsed, bad ones included) or
/// after the message was handed to the transport (outbound), so keep it quick: copy what you need and queue it. The
/// span is valid only during the call. An observer that throws is logged and does not break the connection.
/// </remarks>
public interface IOcppMessageObserver
{
    /// <summary>A text message was received or sent.</summary>
    /// <param name="connection">The connection (its <see cref="OcppConnection.Identity"/> and <see cref="OcppConnection.Protocol"/>).</param>
    /// <param name="direction">Whether it was received or sent.</param>
    /// <param name="message">The whole message.</param>
    void OnMessage(OcppConnection connection, OcppDirection direction, ReadOnlySpan<byte> message);
}

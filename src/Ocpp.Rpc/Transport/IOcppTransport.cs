using System.Buffers;

namespace Ocpp.Rpc.Transport;

/// <summary>
/// One OCPP-J link: sends and receives whole text messages and closes. The RPC engine never sees a WebSocket;
/// <c>WebSocketTransport</c> adapts any <see cref="System.Net.WebSockets.WebSocket"/> and
/// <c>InMemoryTransport</c> connects two engines in one process. The engine calls
/// <see cref="SendAsync"/> from one caller at a time and <see cref="ReceiveAsync"/> from one loop.
/// </summary>
public interface IOcppTransport : IAsyncDisposable
{
    /// <summary>The negotiated subprotocol (e.g. <c>ocpp1.6</c>), or <see langword="null"/> when none was agreed.</summary>
    string? Subprotocol { get; }

    /// <summary>Sends one complete UTF-8 text message.</summary>
    /// <param name="utf8Message">The message bytes; only read until the returned task completes.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    ValueTask SendAsync(ReadOnlyMemory<byte> utf8Message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Receives one complete message into <paramref name="destination"/>, or the peer's close.
    /// A <see cref="MessageTooLargeException"/> thrown by the destination while writing means the message exceeds
    /// the engine's limit; the transport lets it propagate.
    /// </summary>
    /// <param name="destination">Where the message bytes are written.</param>
    /// <param name="cancellationToken">Cancels the receive.</param>
    ValueTask<TransportReceiveResult> ReceiveAsync(IBufferWriter<byte> destination, CancellationToken cancellationToken = default);

    /// <summary>Closes the link gracefully with a WebSocket close code and reason.</summary>
    /// <param name="closeCode">The close code (1000 normal, 1002 protocol error, 1009 too big, ...).</param>
    /// <param name="reason">A short reason (at most 123 UTF-8 bytes).</param>
    /// <param name="cancellationToken">Bounds how long to wait for the peer's close acknowledgement.</param>
    ValueTask CloseAsync(int closeCode, string? reason, CancellationToken cancellationToken = default);

    /// <summary>
    /// Drops the link at once without a close handshake. A pending <see cref="ReceiveAsync"/> or
    /// <see cref="SendAsync"/> must then end (throw, or report a close): the engine reads without a cancellation token
    /// and relies on this to stop its receive loop.
    /// </summary>
    void Abort();
}

/// <summary>What <see cref="IOcppTransport.ReceiveAsync"/> received.</summary>
public enum TransportMessageKind
{
    /// <summary>A complete text message was written to the destination.</summary>
    Text,

    /// <summary>A complete binary message was written to the destination (not valid OCPP-J).</summary>
    Binary,

    /// <summary>The peer closed the link; no bytes were written.</summary>
    Close,
}

/// <summary>The outcome of one receive.</summary>
/// <param name="Kind">Text, binary, or close.</param>
/// <param name="CloseCode">The peer's close code when <paramref name="Kind"/> is <see cref="TransportMessageKind.Close"/>.</param>
/// <param name="CloseReason">The peer's close reason, if any.</param>
public readonly record struct TransportReceiveResult(TransportMessageKind Kind, int? CloseCode = null, string? CloseReason = null)
{
    /// <summary>A received text message.</summary>
    public static TransportReceiveResult Text => new(TransportMessageKind.Text);

    /// <summary>A received binary message.</summary>
    public static TransportReceiveResult Binary => new(TransportMessageKind.Binary);

    /// <summary>The peer's close.</summary>
    /// <param name="code">Close code.</param>
    /// <param name="reason">Close reason.</param>
    public static TransportReceiveResult Closed(int? code, string? reason) => new(TransportMessageKind.Close, code, reason);
}

/// <summary>Thrown while receiving a message that is larger than the configured maximum.</summary>
public sealed class MessageTooLargeException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="limit">The maximum message size in bytes.</param>
    public MessageTooLargeException(int limit)
        : base($"The message exceeds the maximum size of {limit} bytes.")
    {
        Limit = limit;
    }

    /// <summary>The maximum message size in bytes.</summary>
    public int Limit { get; }
}

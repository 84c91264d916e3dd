using System.Buffers;
using System.Threading.Channels;

namespace Ocpp.Rpc.Transport;

/// <summary>
/// Two linked in-process transports, for tests and for embedding a station and a CSMS in one process. Each side's
/// inbox is bounded, so a fast sender waits for a slow receiver as it would on a socket.
/// </summary>
public sealed class InMemoryTransport : IOcppTransport
{
    private readonly Channel<Message> _inbox;
    private InMemoryTransport _peer = null!;
    private int _closeSent;
    private int _aborted;

    private InMemoryTransport(string? subprotocol, int capacity)
    {
        Subprotocol = subprotocol;
        _inbox = Channel.CreateBounded<Message>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <inheritdoc/>
    public string? Subprotocol { get; }

    /// <summary>Creates two connected transports.</summary>
    /// <param name="subprotocol">The subprotocol both sides report, e.g. <see cref="OcppProtocols.Ocpp16"/>; null for none.</param>
    /// <param name="capacity">How many messages each side buffers before a sender waits.</param>
    /// <returns>The two ends; what one sends the other receives.</returns>
    public static (InMemoryTransport First, InMemoryTransport Second) CreatePair(string? subprotocol = OcppProtocols.Ocpp16, int capacity = 256)
    {
        var first = new InMemoryTransport(subprotocol, capacity);
        var second = new InMemoryTransport(subprotocol, capacity);
        first._peer = second;
        second._peer = first;
        return (first, second);
    }

    /// <inheritdoc/>
    public ValueTask SendAsync(ReadOnlyMemory<byte> utf8Message, CancellationToken cancellationToken = default) =>
        SendAsync(new Message(TransportMessageKind.Text, utf8Message.ToArray(), null, null), cancellationToken);

    /// <summary>Sends a binary message (invalid in OCPP-J; for tests of how a peer copes).</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    public ValueTask SendBinaryAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        SendAsync(new Message(TransportMessageKind.Binary, data.ToArray(), null, null), cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<TransportReceiveResult> ReceiveAsync(IBufferWriter<byte> destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Message message;
        try
        {
            message = await _inbox.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex)
        {
            throw new IOException("The in-memory link was aborted.", ex);
        }

        if (message.Kind == TransportMessageKind.Close)
        {
            return TransportReceiveResult.Closed(message.CloseCode, message.CloseReason);
        }

        destination.Write(message.Data);
        return new TransportReceiveResult(message.Kind);
    }

    /// <inheritdoc/>
    public ValueTask CloseAsync(int closeCode, string? reason, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _closeSent, 1) == 1 || Volatile.Read(ref _aborted) == 1)
        {
            return ValueTask.CompletedTask;
        }

        // A close frame is delivered even when the inbox is full, like a control frame.
        _peer._inbox.Writer.TryWrite(new Message(TransportMessageKind.Close, [], closeCode, reason));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 0)
        {
            _inbox.Writer.TryComplete();
            _peer.Abort();
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Abort();
        return ValueTask.CompletedTask;
    }

    private async ValueTask SendAsync(Message message, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _closeSent) == 1 || Volatile.Read(ref _aborted) == 1)
        {
            throw new IOException("The in-memory link is closed.");
        }

        try
        {
            await _peer._inbox.Writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex)
        {
            throw new IOException("The in-memory link was aborted.", ex);
        }
    }

    private sealed record Message(TransportMessageKind Kind, byte[] Data, int? CloseCode, string? CloseReason);
}

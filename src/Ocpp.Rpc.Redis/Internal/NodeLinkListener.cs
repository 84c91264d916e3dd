using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Ocpp.Rpc.Redis.Internal;

/// <summary>
/// Accepts node links: each connection must finish the handshake within the handshake timeout, and at most
/// <see cref="MaxHandshakes"/> may be in their handshake at once (more are closed unread), so abandoned or hostile
/// connections cost a bounded amount. Authenticated links go to <c>onLinked</c>.
/// </summary>
internal sealed class NodeLinkListener : IAsyncDisposable
{
    /// <summary>Connections allowed to be in their handshake at the same time.</summary>
    public const int MaxHandshakes = 64;

    private readonly Socket _socket;
    private readonly byte[] _key;
    private readonly NodeLinkTls? _tls;
    private readonly string _nodeId;
    private readonly TimeSpan _handshakeTimeout;
    private readonly Func<string, Socket, Stream, PipeReader, NodeLink> _onLinked;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<NodeLink, byte> _links = new();
    private readonly Task _accepting;
    private int _handshakes;

    private NodeLinkListener(Socket socket, byte[] key, NodeLinkTls? tls, string nodeId, TimeSpan handshakeTimeout, Func<string, Socket, Stream, PipeReader, NodeLink> onLinked, ILogger logger)
    {
        _socket = socket;
        _key = key;
        _tls = tls;
        _nodeId = nodeId;
        _handshakeTimeout = handshakeTimeout;
        _onLinked = onLinked;
        _logger = logger;
        _accepting = AcceptLoopAsync();
    }

    /// <summary>The bound address (with the real port when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Links accepted and still open.</summary>
    public int LinkCount => _links.Count;

    /// <summary>Binds and starts accepting. Throws <see cref="SocketException"/> when the address cannot be bound.</summary>
    public static NodeLinkListener Start(IPEndPoint endPoint, byte[] key, NodeLinkTls? tls, string nodeId, TimeSpan handshakeTimeout, Func<string, Socket, Stream, PipeReader, NodeLink> onLinked, ILogger logger)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(endPoint);
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new NodeLinkListener(socket, key, tls, nodeId, handshakeTimeout, onLinked, logger);
    }

    /// <summary>Stops accepting and closes every accepted link.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _accepting.ConfigureAwait(false);
        foreach (NodeLink link in _links.Keys)
        {
            link.Close();
        }

        await Task.WhenAll(_links.Keys.Select(l => l.Completion)).ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>Closes every accepted link (the listener keeps accepting).</summary>
    public void CloseAll()
    {
        foreach (NodeLink link in _links.Keys)
        {
            link.Close(new IOException("Closed by this node."));
        }
    }

    /// <summary>Forgets a closed link.</summary>
    public void Remove(NodeLink link) => _links.TryRemove(link, out _);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // A connection reset before it was accepted, or the process is out of descriptors: keep listening.
                Log.LinkAcceptFailed(_logger, ex, _nodeId);
                continue;
            }

            if (Interlocked.Increment(ref _handshakes) > MaxHandshakes)
            {
                Interlocked.Decrement(ref _handshakes);
                Log.LinkRefused(_logger, _nodeId, accepted.RemoteEndPoint?.ToString(), "too many handshakes at once");
                accepted.Dispose();
                continue;
            }

            _ = HandshakeAsync(accepted);
        }
    }

    private async Task HandshakeAsync(Socket socket)
    {
        string? remote = socket.RemoteEndPoint?.ToString();
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        PipeReader? reader = null;
        try
        {
            NodeLinkSockets.Configure(socket);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(_handshakeTimeout);
            if (_tls is not null)
            {
                stream = await _tls.AuthenticateAsServerAsync(stream, timeout.Token).ConfigureAwait(false);
            }

            reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
            string peer = await NodeLinkHandshake.RunServerAsync(stream, reader, _key, _tls?.CertificateHash ?? [], _nodeId, timeout.Token).ConfigureAwait(false);
            NodeLink link = _onLinked(peer, socket, stream, reader);
            _links[link] = 0;
            link.Start();
            if (_stop.IsCancellationRequested)
            {
                // Disposed while this handshake finished: DisposeAsync may have closed the others already.
                link.Close();
            }

            Log.LinkAccepted(_logger, _nodeId, peer, remote);
        }
#pragma warning disable CA1031 // Whatever a peer makes the handshake throw, the connection is refused and closed, never leaked.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.LinkRefused(_logger, _nodeId, remote, ex is OperationCanceledException ? "no handshake in time" : ex.Message);
            if (reader is not null)
            {
                await reader.CompleteAsync().ConfigureAwait(false);
            }

            await stream.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _handshakes);
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Ocpp.Rpc.Clustering;
using Ocpp.Rpc.Redis.Internal;
using StackExchange.Redis;

namespace Ocpp.Rpc.Redis;

// Direct node links (RedisClusterOptions.NodeLinks): routed calls and their replies over one TCP connection per pair
// of nodes instead of two Redis publishes. The link address travels in the heartbeat value ("{nodeId}|{host}:{port}");
// a caller dials an owner the first time it routes to it, and routes through Redis until the link is up.
public sealed partial class RedisOcppCluster
{
    /// <summary>How long a node waits before dialing a peer that refused it again (at least).</summary>
    private static readonly TimeSpan RefusedRetryDelay = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, PeerLink> _peerLinks = new(StringComparer.Ordinal);
    private NodeLinkListener? _linkListener;
    private NodeLinkTls? _linkTls;
    private byte[]? _linkKey;
    private string? _linkAddress;

    /// <summary>The address this node advertises for links, or null without <see cref="RedisClusterOptions.NodeLinks"/>.</summary>
    public string? NodeLinkAddress => _linkAddress;

    /// <summary>Links this node has dialed and that are open (for tests).</summary>
    internal int OpenOutboundLinks => _peerLinks.Values.Count(p => p.Link is { IsOpen: true });

    /// <summary>Links other nodes have opened to this one (for tests).</summary>
    internal int OpenInboundLinks => _linkListener?.LinkCount ?? 0;

    /// <summary>Closes every link of this node as a network failure would (for tests).</summary>
    internal void DropNodeLinks()
    {
        foreach (PeerLink peer in _peerLinks.Values)
        {
            peer.Link?.Close(new IOException("Dropped by a test."));
        }

        _linkListener?.CloseAll();
    }

    /// <summary>What the heartbeat key holds: the node id, and the link address when this node accepts links.</summary>
    private string HeartbeatValue => _linkAddress is { } address ? NodeId + "|" + address : NodeId;

    /// <summary>Binds the link listener (before the first heartbeat advertises it); a bind failure fails start-up.</summary>
    private void StartNodeLinks()
    {
        if (_options.NodeLinks is not { } links)
        {
            return;
        }

        _linkKey = Encoding.UTF8.GetBytes(links.SharedKey!);
        _linkTls = links.Encrypt ? NodeLinkTls.Create(NodeId) : null;
        _linkListener = NodeLinkListener.Start(links.Listen!, _linkKey, _linkTls, NodeId, _options.OperationTimeout, AcceptLink, _logger);
        _linkAddress = links.Advertise(_linkListener.LocalEndPoint.Port);
        Log.LinksListening(_logger, NodeId, _linkListener.LocalEndPoint.ToString(), _linkAddress);
    }

    private async Task StopNodeLinksAsync()
    {
        foreach (PeerLink peer in _peerLinks.Values)
        {
            peer.Link?.Close();
        }

        if (_linkListener is { } listener)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        _linkTls?.Dispose();
    }

    /// <summary>
    /// Sends a routed call over the link to <paramref name="owner"/> when one is open, and starts dialing one when not
    /// (this call then goes through Redis). Returns the link the call went on, or null.
    /// </summary>
    private NodeLink? TrySendOverLink(string owner, byte[] request, PendingReply pending)
    {
        if (_linkKey is null)
        {
            return null;
        }

        PeerLink peer = _peerLinks.GetOrAdd(owner, static _ => new PeerLink());
        if (peer.Link is { IsOpen: true } link)
        {
            // Recorded before sending: a link that closes from now on fails this call instead of leaving it to time out.
            pending.SentOn(link);
            if (link.TrySend(request))
            {
                return link;
            }

            pending.SentOn(null);
            if (link.IsOpen)
            {
                // Its queue is full (the peer stopped reading): this call goes through Redis, the link stays.
                return null;
            }
        }

        long now = Stopwatch.GetTimestamp();
        if (now >= Volatile.Read(ref peer.RetryAt) && Interlocked.CompareExchange(ref peer.Dialing, 1, 0) == 0)
        {
            _ = DialAsync(owner, peer);
        }

        return null;
    }

    /// <summary>Reads the owner's link address from its heartbeat, connects and authenticates; failures wait out the retry delay.</summary>
    private async Task DialAsync(string owner, PeerLink peer)
    {
        RedisNodeLinkOptions options = _options.NodeLinks!;
        Socket? socket = null;
        Stream? stream = null;
        try
        {
            IConnectionMultiplexer redis = await GetRedisAsync().ConfigureAwait(false);
            string? heartbeat = await Guard(redis.GetDatabase().StringGetAsync(NodeKey(owner)), $"read the link address of node {owner}", _stopping.Token).ConfigureAwait(false);
            if (heartbeat is null || !heartbeat.StartsWith(owner + "|", StringComparison.Ordinal))
            {
                // No links on that node (or it is gone): keep routing through Redis, ask again after the delay.
                Log.PeerWithoutLinks(_logger, NodeId, owner);
                peer.RetryAfter(options.RetryDelay > _options.HeartbeatInterval ? options.RetryDelay : _options.HeartbeatInterval);
                return;
            }

            string address = heartbeat[(owner.Length + 1)..];
            bool encrypted = address.StartsWith(RedisNodeLinkOptions.TlsScheme, StringComparison.Ordinal);
            if (encrypted != options.Encrypt)
            {
                // Never a plain link from an encrypting node, nor a guess the other way: both sides must agree.
                throw new NodeLinkRefusedException($"Node {owner}'s links are {(encrypted ? "encrypted" : "not encrypted")} and this node's are {(options.Encrypt ? "encrypted" : "not")}: RedisNodeLinkOptions.Encrypt must be the same on every node.");
            }

            string hostAndPort = encrypted ? address[RedisNodeLinkOptions.TlsScheme.Length..] : address;
            if (!NodeLinkSockets.TryParse(hostAndPort, out EndPoint endPoint))
            {
                throw new NodeLinkRefusedException($"Node {owner} advertises an unusable link address '{address}'.");
            }

            socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            NodeLinkSockets.Configure(socket);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(_options.OperationTimeout);
            await socket.ConnectAsync(endPoint, timeout.Token).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
            byte[] binding = [];
            if (encrypted)
            {
                (stream, binding) = await NodeLinkTls.AuthenticateAsClientAsync(stream, timeout.Token).ConfigureAwait(false);
            }

            PipeReader reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
            await NodeLinkHandshake.RunClientAsync(stream, reader, _linkKey!, binding, NodeId, owner, timeout.Token).ConfigureAwait(false);
            var link = new NodeLink(owner, socket, stream, reader, options.MaxFrameBytes, OnLinkReply, (l, reason) => OnOutboundLinkClosed(peer, l, reason));
            socket = null;
            stream = null;
            peer.Link = link;
            link.Start();
            if (Volatile.Read(ref _disposed) != 0)
            {
                link.Close();
                return;
            }

            Log.LinkConnected(_logger, NodeId, owner, address);
        }
#pragma warning disable CA1031 // A dial that fails for any reason leaves the calls on Redis and closes what it opened.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            socket?.Dispose();

            // A refusal (another key, another Encrypt setting) is configuration: retry, but not every few seconds.
            TimeSpan delay = ex is NodeLinkRefusedException && options.RetryDelay < RefusedRetryDelay ? RefusedRetryDelay : options.RetryDelay;
            peer.RetryAfter(delay);
            if (Volatile.Read(ref _disposed) == 0)
            {
                Log.LinkFailed(_logger, ex, NodeId, owner);
            }
        }
        finally
        {
            Volatile.Write(ref peer.Dialing, 0);
        }
    }

    /// <summary>An authenticated connection from another node: its frames are routed calls to local stations.</summary>
    private NodeLink AcceptLink(string peer, Socket socket, Stream stream, PipeReader reader) =>
        new(peer, socket, stream, reader, _options.NodeLinks!.MaxFrameBytes, OnLinkRequest, OnInboundLinkClosed);

    private void OnLinkRequest(NodeLink link, ReadOnlySpan<byte> frame)
    {
        if (Deserialize(frame, default, link) is { Type: ClusterMessageType.Call, Id: not null, Node: not null, Station: not null, Action: not null } message)
        {
            _ = AnswerAsync(message, link);
        }
    }

    private void OnLinkReply(NodeLink link, ReadOnlySpan<byte> frame)
    {
        if (Deserialize(frame, default, link) is { Id: not null } message)
        {
            CompleteRoutedCall(message);
        }
    }

    /// <summary>The calls sent on the link and not answered can no longer be: fail them now (they may have reached the station).</summary>
    private void OnOutboundLinkClosed(PeerLink peer, NodeLink link, Exception? reason)
    {
        Interlocked.CompareExchange(ref peer.Link, null, link);
        foreach (KeyValuePair<string, PendingReply> pending in _pending)
        {
            if (pending.Value.Link == link && _pending.TryRemove(pending))
            {
                pending.Value.TrySetException(new OcppClusterUnavailableException($"The link to node {link.Peer} closed before the routed call was answered; the station may have received it.", reason));
            }
        }

        if (Volatile.Read(ref _disposed) == 0)
        {
            Log.LinkClosed(_logger, reason, NodeId, link.Peer);
        }
    }

    private void OnInboundLinkClosed(NodeLink link, Exception? reason)
    {
        _linkListener?.Remove(link);
        if (Volatile.Read(ref _disposed) == 0)
        {
            Log.LinkClosed(_logger, reason, NodeId, link.Peer);
        }
    }

    /// <summary>Drops the entries of peers with no link whose retry time has passed (nodes that left), so node churn does not accumulate.</summary>
    private void ForgetIdlePeerLinks()
    {
        long now = Stopwatch.GetTimestamp();
        foreach (KeyValuePair<string, PeerLink> entry in _peerLinks)
        {
            PeerLink peer = entry.Value;
            if (peer.Link is null && Volatile.Read(ref peer.Dialing) == 0 && Volatile.Read(ref peer.RetryAt) <= now)
            {
                _peerLinks.TryRemove(entry);
            }
        }
    }

    /// <summary>This node's link to one other node: the open link, if any, and when it may be dialed again.</summary>
    private sealed class PeerLink
    {
        public NodeLink? Link;

        public int Dialing;

        public long RetryAt;

        /// <summary>Allows the next dial <paramref name="delay"/> from now.</summary>
        public void RetryAfter(TimeSpan delay) => Volatile.Write(ref RetryAt, Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency));
    }
}

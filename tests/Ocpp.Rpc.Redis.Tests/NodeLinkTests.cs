using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Ocpp.Rpc.Clustering;
using Ocpp.Rpc.Clustering.Specs;
using Ocpp.Rpc.Redis.Internal;
using StackExchange.Redis;
using ClusterNode = Ocpp.Rpc.Clustering.Specs.ClusterNode;

namespace Ocpp.Rpc.Redis.Tests;

/// <summary>
/// Direct node links: routed calls between two linked nodes skip Redis pub/sub; nodes that cannot link (no links, a
/// different key, a failed link) route through Redis; a link that drops fails its calls at once; and the link port
/// refuses whoever cannot prove the shared key, stalls, or sends oversized frames.
/// </summary>
public sealed class NodeLinkTests(RedisServerFixture redis) : RedisTestBase, IClassFixture<RedisServerFixture>
{
    private const string Key = "node-link-test-key-0123456789";

    private RedisClusterOptions Options => TestOptions.Fast(redis.Server.Configuration, Prefix);

    private RedisClusterOptions Linked(string key = Key, bool encrypt = false) => Options with
    {
        NodeLinks = new RedisNodeLinkOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), SharedKey = key, RetryDelay = TimeSpan.FromMilliseconds(200), Encrypt = encrypt },
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Routed_calls_between_linked_nodes_skip_Redis_pub_sub_once_the_link_is_up(bool encrypt)
    {
        ClusterNode a = await StartNodeAsync(Linked(encrypt: encrypt));
        ClusterNode b = await StartNodeAsync(Linked(encrypt: encrypt));
        await ConnectAsync(b, "CP-L1", c => c.Handle("Which", req => Reply($$"""{"node":"b","echo":{{Encoding.UTF8.GetString(req.Payload.Span)}}}""")));
        await SeesAsync(a, "CP-L1");
        var nodeA = (RedisOcppCluster)a.Cluster;
        var nodeB = (RedisOcppCluster)b.Cluster;
        nodeB.NodeLinkAddress.Should().MatchRegex(encrypt ? @"^tls:127\.0\.0\.1:\d+$" : @"^127\.0\.0\.1:\d+$");

        // The first call goes through Redis and starts the dial.
        (await a.Cluster.CallAsync("CP-L1", "Which", OcppPayload.FromJson("""{"n":0}"""))).GetProperty("node").GetString().Should().Be("b");
        await Eventually.TrueAsync(() => ValueTask.FromResult(nodeA.OpenOutboundLinks == 1 && nodeB.OpenInboundLinks == 1), "a linked to b");

        IDatabase raw = await RawAsync(redis.Server.Configuration);
        long before = await PublishesAsync(raw);
        for (int i = 1; i <= 20; i++)
        {
            var answer = await a.Cluster.CallAsync("CP-L1", "Which", OcppPayload.FromJson($$"""{"n":{{i}}}"""));
            answer.GetProperty("echo").GetProperty("n").GetInt32().Should().Be(i);
        }

        // The station's CALLERROR crosses the link like any answer.
        Func<Task> unknown = () => a.Cluster.CallAsync("CP-L1", "NoSuchAction");
        (await unknown.Should().ThrowAsync<OcppRpcException>()).Which.Code.Should().Be(OcppErrorCode.NotImplemented);

        // Concurrent calls share the link and each gets its own answer.
        int[] numbers = [.. Enumerable.Range(100, 64)];
        var answers = await Task.WhenAll(numbers.Select(n => a.Cluster.CallAsync("CP-L1", "Which", OcppPayload.FromJson($$"""{"n":{{n}}}"""))));
        answers.Select(x => x.GetProperty("echo").GetProperty("n").GetInt32()).Should().Equal(numbers);

        // A payload larger than a socket read and a write batch crosses in pieces and is put together again.
        string big = new('x', 300_000);
        var large = await a.Cluster.CallAsync("CP-L1", "Which", OcppPayload.FromJson($$"""{"n":-1,"big":"{{big}}"}"""));
        large.GetProperty("echo").GetProperty("big").GetString().Should().Be(big);

        (await PublishesAsync(raw) - before).Should().Be(0, "every call and reply went over the link");
        nodeA.PendingCallCount.Should().Be(0);
    }

    [Fact]
    public async Task A_call_or_reply_larger_than_a_link_frame_goes_through_Redis_and_the_link_stays()
    {
        RedisClusterOptions small = Linked() with { NodeLinks = Linked().NodeLinks! with { MaxFrameBytes = 4096 } };
        ClusterNode a = await StartNodeAsync(small);
        ClusterNode b = await StartNodeAsync(small);
        await ConnectAsync(b, "CP-L7", c => c.Handle("Echo", req => Reply(Encoding.UTF8.GetString(req.Payload.Span))));
        await SeesAsync(a, "CP-L7");
        var nodeA = (RedisOcppCluster)a.Cluster;
        await a.Cluster.CallAsync("CP-L7", "Echo", OcppPayload.FromJson("""{"n":0}"""));
        await Eventually.TrueAsync(() => ValueTask.FromResult(nodeA.OpenOutboundLinks == 1), "a linked to b");
        IDatabase raw = await RawAsync(redis.Server.Configuration);

        // 10 KB each way: the request and the reply each take Redis instead of the link they would close.
        long before = await PublishesAsync(raw);
        string big = new('y', 10_000);
        (await a.Cluster.CallAsync("CP-L7", "Echo", OcppPayload.FromJson($$"""{"big":"{{big}}"}"""))).GetProperty("big").GetString().Should().Be(big);
        (await PublishesAsync(raw) - before).Should().Be(2);

        // A small call after it uses the link, which stayed open.
        nodeA.OpenOutboundLinks.Should().Be(1);
        before = await PublishesAsync(raw);
        (await a.Cluster.CallAsync("CP-L7", "Echo", OcppPayload.FromJson("""{"n":1}"""))).GetProperty("n").GetInt32().Should().Be(1);
        (await PublishesAsync(raw) - before).Should().Be(0);
    }

    [Fact]
    public async Task Nodes_that_cannot_link_route_through_Redis()
    {
        ClusterNode b = await StartNodeAsync(Linked(encrypt: true));
        ClusterNode plain = await StartNodeAsync(Options);
        ClusterNode otherKey = await StartNodeAsync(Linked("a-different-key-0123456789", encrypt: true));
        ClusterNode unencrypted = await StartNodeAsync(Linked(encrypt: false));
        await ConnectAsync(b, "CP-L2", c => c.Handle("Which", _ => Reply("""{"node":"b"}""")));
        await ConnectAsync(plain, "CP-L3", c => c.Handle("Which", _ => Reply("""{"node":"plain"}""")));
        await SeesAsync(plain, "CP-L2");
        await SeesAsync(otherKey, "CP-L2");
        await SeesAsync(unencrypted, "CP-L2");
        await SeesAsync(b, "CP-L3");
        var nodeB = (RedisOcppCluster)b.Cluster;

        for (int i = 0; i < 5; i++)
        {
            (await plain.Cluster.CallAsync("CP-L2", "Which")).GetProperty("node").GetString().Should().Be("b");
            (await otherKey.Cluster.CallAsync("CP-L2", "Which")).GetProperty("node").GetString().Should().Be("b");

            // The same key but unencrypted links: it does not dial an encrypting node, and uses Redis.
            (await unencrypted.Cluster.CallAsync("CP-L2", "Which")).GetProperty("node").GetString().Should().Be("b");

            // A linked node calling a node without links reads its heartbeat, finds no address, and uses Redis.
            (await b.Cluster.CallAsync("CP-L3", "Which")).GetProperty("node").GetString().Should().Be("plain");
        }

        // The wrong key was refused at the handshake: no link either way, and the calls above still worked.
        await Eventually.TrueAsync(() => ValueTask.FromResult(((RedisOcppCluster)otherKey.Cluster).OpenOutboundLinks == 0 && ((RedisOcppCluster)unencrypted.Cluster).OpenOutboundLinks == 0 && nodeB.OpenInboundLinks == 0 && nodeB.OpenOutboundLinks == 0), "no links were made");
        (await otherKey.Cluster.CallAsync("CP-L2", "Which")).GetProperty("node").GetString().Should().Be("b");
        nodeB.OpenInboundLinks.Should().Be(0);
    }

    [Fact]
    public async Task A_link_that_drops_fails_its_unanswered_calls_at_once_and_the_next_call_still_works()
    {
        ClusterNode a = await StartNodeAsync(Linked(encrypt: true));
        ClusterNode b = await StartNodeAsync(Linked(encrypt: true));
        (TaskCompletionSource held, Task reached) = await LinkWithHoldingStationAsync(a, b, "CP-L4");
        var nodeA = (RedisOcppCluster)a.Cluster;

        Task<System.Text.Json.JsonElement> call = a.Cluster.CallAsync("CP-L4", "Hold", default, new OcppCallOptions { Timeout = TimeSpan.FromSeconds(60) });
        await reached.WaitAsync(TimeSpan.FromSeconds(10));
        ((RedisOcppCluster)b.Cluster).DropNodeLinks();

        // Well before the call's 60 s timeout: the call may have reached the station, so it fails rather than retries.
        Func<Task> waiting = () => call.WaitAsync(TimeSpan.FromSeconds(10));
        (await waiting.Should().ThrowAsync<OcppClusterUnavailableException>()).Which.Message.Should().Contain("link");
        nodeA.PendingCallCount.Should().Be(0);
        held.SetResult();

        (await a.Cluster.CallAsync("CP-L4", "Which")).GetProperty("node").GetString().Should().Be("b");
        await Eventually.TrueAsync(() => ValueTask.FromResult(nodeA.OpenOutboundLinks == 1), "a linked to b again");
        (await a.Cluster.CallAsync("CP-L4", "Which")).GetProperty("node").GetString().Should().Be("b");
    }

    [Fact]
    public async Task A_call_waiting_on_a_link_is_answered_although_Redis_goes_down_meanwhile()
    {
        await using RedisServer own = await RedisServer.StartAsync(); // This test's own redis-server: it is stopped.
        RedisClusterOptions options = TestOptions.Fast(own.Configuration, Prefix) with { NodeLinks = Linked().NodeLinks };
        ClusterNode a = await StartNodeAsync(options);
        ClusterNode b = await StartNodeAsync(options);
        (TaskCompletionSource held, Task reached) = await LinkWithHoldingStationAsync(a, b, "CP-L6");
        var nodeA = (RedisOcppCluster)a.Cluster;

        Task<System.Text.Json.JsonElement> call = a.Cluster.CallAsync("CP-L6", "Hold", default, new OcppCallOptions { Timeout = TimeSpan.FromSeconds(30) });
        await reached.WaitAsync(TimeSpan.FromSeconds(10));
        await own.StopAsync();
        await Eventually.TrueAsync(() => ValueTask.FromResult(!nodeA.IsRedisConnected), "node a lost Redis", 10000);

        // Losing Redis fails calls waiting for a reply through Redis; this one's reply comes over the link.
        held.SetResult();
        (await call.WaitAsync(TimeSpan.FromSeconds(10))).GetProperty("held").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task The_link_port_refuses_a_wrong_proof_a_wrong_node_id_garbage_and_a_stalled_handshake()
    {
        // Plain links, so the test can speak the handshake itself (the encrypted case below).
        ClusterNode b = await StartNodeAsync(Linked());
        var nodeB = (RedisOcppCluster)b.Cluster;
        IPEndPoint port = IPEndPoint.Parse(nodeB.NodeLinkAddress!);

        // The wrong key: the server's proof does not verify for the client, and the server refuses the client's.
        Func<Task> wrongKey = () => HandshakeAsync(port, "a-wrong-key-0123456789", "intruder", nodeB.NodeId);
        await wrongKey.Should().ThrowAsync<NodeLinkRefusedException>();

        // A client that ignores the server's proof and answers with a made-up one: refused, and no link is made.
        using (var socket = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(port);
            var stream = new NetworkStream(socket, ownsSocket: false);
            PipeReader reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await WriteFrameAsync(stream, JsonSerializer.SerializeToUtf8Bytes(new NodeLinkHello { Version = 1, From = "forger", To = nodeB.NodeId, Nonce = new byte[16] }, RedisJsonContext.Default.NodeLinkHello));
            NodeLinkHello welcome = JsonSerializer.Deserialize(await NodeLinkFrames.ReadAsync(reader, 4096, timeout.Token), RedisJsonContext.Default.NodeLinkHello)!;
            welcome.Proof.Should().NotBeNull();
            await WriteFrameAsync(stream, JsonSerializer.SerializeToUtf8Bytes(new NodeLinkHello { Proof = new byte[32] }, RedisJsonContext.Default.NodeLinkHello));
            NodeLinkHello refusal = JsonSerializer.Deserialize(await NodeLinkFrames.ReadAsync(reader, 4096, timeout.Token), RedisJsonContext.Default.NodeLinkHello)!;
            refusal.Error.Should().Be("wrong key");
            (await socket.ReceiveAsync(new byte[16], timeout.Token)).Should().Be(0, "the server closes after refusing");
        }

        // The right key but a node id that is not this node's (an address reused by a restarted node).
        Func<Task> wrongNode = () => HandshakeAsync(port, Key, "caller", "some-other-node");
        (await wrongNode.Should().ThrowAsync<NodeLinkRefusedException>()).Which.Message.Should().Contain("not some-other-node");

        // Garbage instead of a hello, and a header announcing a huge frame: closed without reading on.
        (await SendRawAndReadAsync(port, Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))).Should().BeTrue();
        byte[] huge = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(huge, int.MaxValue);
        (await SendRawAndReadAsync(port, huge)).Should().BeTrue();

        // Nothing at all: closed after the handshake timeout (the node's OperationTimeout, 2 s here).
        (await SendRawAndReadAsync(port, [])).Should().BeTrue();
        nodeB.OpenInboundLinks.Should().Be(0);
    }

    [Fact]
    public async Task A_linked_peer_that_sends_an_oversized_frame_loses_its_link_and_bad_json_is_ignored()
    {
        ClusterNode b = await StartNodeAsync(Linked(encrypt: false) with { NodeLinks = Linked(encrypt: false).NodeLinks! with { MaxFrameBytes = 4096 } });
        await ConnectAsync(b, "CP-L5", c => c.Handle("Which", _ => Reply("""{"node":"b"}""")));
        var nodeB = (RedisOcppCluster)b.Cluster;
        IPEndPoint port = IPEndPoint.Parse(nodeB.NodeLinkAddress!);
        (Socket socket, NetworkStream stream, PipeReader reader) = await HandshakeAsync(port, Key, "test-peer", nodeB.NodeId);
        using (socket)
        {
            await Eventually.TrueAsync(() => ValueTask.FromResult(nodeB.OpenInboundLinks == 1), "b accepted the link");

            // Unreadable JSON is logged and skipped; a call after it is answered on the same link.
            await WriteFrameAsync(stream, "{not json"u8.ToArray());
            await WriteFrameAsync(stream, """{"t":"call","id":"7","n":"test-peer","s":"CP-L5","a":"Which","p":{}}"""u8.ToArray());
            byte[] reply = await NodeLinkFrames.ReadAsync(reader, 1 << 20, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            string text = Encoding.UTF8.GetString(reply);
            text.Should().Contain("\"id\":\"7\"").And.Contain("\"t\":\"result\"").And.Contain("\"node\":\"b\"");

            // A frame over MaxFrameBytes closes the link.
            await WriteFrameAsync(stream, new byte[5000]);
            Func<Task> read = async () => await NodeLinkFrames.ReadAsync(reader, 1 << 20, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            await read.Should().ThrowAsync<Exception>().Where(e => e is EndOfStreamException || e is IOException);
            await Eventually.TrueAsync(() => ValueTask.FromResult(nodeB.OpenInboundLinks == 0), "b closed the link");
        }
    }

    [Fact]
    public async Task An_encrypted_link_port_refuses_plain_bytes_and_a_machine_in_the_middle_that_has_the_key()
    {
        ClusterNode b = await StartNodeAsync(Linked(encrypt: true));
        var nodeB = (RedisOcppCluster)b.Cluster;
        IPEndPoint port = IPEndPoint.Parse(nodeB.NodeLinkAddress!["tls:".Length..]);

        // A plain hello where a TLS ClientHello belongs: the TLS handshake fails and the connection closes.
        byte[] hello = JsonSerializer.SerializeToUtf8Bytes(new NodeLinkHello { Version = 1, From = "plain", To = nodeB.NodeId, Nonce = new byte[16] }, RedisJsonContext.Default.NodeLinkHello);
        var framed = new ArrayBufferWriter<byte>();
        NodeLinkFrames.Write(framed, hello);
        (await SendRawAndReadAsync(port, framed.WrittenSpan.ToArray())).Should().BeTrue();

        // Directly, TLS and the key make a link (the control for the next case).
        (Socket direct, Stream directStream, PipeReader directReader) = await TlsHandshakeAsync(port, "direct-peer", nodeB.NodeId);
        await directReader.CompleteAsync();
        await directStream.DisposeAsync();
        direct.Dispose();

        // A machine in the middle with its own certificate relays every byte, and even knows the key (it plays the
        // dialer itself here): the proofs cover the certificate each side saw, so they do not match.
        await using var interceptor = TlsInterceptor.Start(port);
        Func<Task> throughInterceptor = () => TlsHandshakeAsync(interceptor.EndPoint, "relayed-peer", nodeB.NodeId);
        (await throughInterceptor.Should().ThrowAsync<NodeLinkRefusedException>()).Which.Message.Should().Contain("terminates TLS");
        interceptor.Relayed.Should().BeTrue("the interceptor did reach node B");
    }

    [Fact]
    public void Link_options_are_validated()
    {
        RedisNodeLinkOptions good = new() { Listen = new IPEndPoint(IPAddress.Loopback, 0), SharedKey = Key };
        Action missingListen = () => RedisOcppCluster.Create(Options with { NodeLinks = good with { Listen = null } }, null);
        missingListen.Should().Throw<ArgumentException>().WithMessage("*Listen*");
        Action wildcard = () => RedisOcppCluster.Create(Options with { NodeLinks = good with { Listen = new IPEndPoint(IPAddress.Any, 7400) } }, null);
        wildcard.Should().Throw<ArgumentException>().WithMessage("*AdvertisedHost*");
        Action shortKey = () => RedisOcppCluster.Create(Options with { NodeLinks = good with { SharedKey = "short" } }, null);
        shortKey.Should().Throw<ArgumentException>().WithMessage("*SharedKey*");
        Action tinyFrames = () => RedisOcppCluster.Create(Options with { NodeLinks = good with { MaxFrameBytes = 10 } }, null);
        tinyFrames.Should().Throw<ArgumentOutOfRangeException>();
        (good with { Listen = new IPEndPoint(IPAddress.Any, 7400), AdvertisedHost = "10.1.2.3" }).Advertise(7400).Should().Be("10.1.2.3:7400");
        (good with { Listen = new IPEndPoint(IPAddress.IPv6Any, 7400), AdvertisedHost = "fd00::5", Encrypt = true }).Advertise(7400).Should().Be("tls:[fd00::5]:7400");
        (good with { Listen = new IPEndPoint(IPAddress.Any, 7400), AdvertisedHost = "node-3.csms.internal", Encrypt = false }).Advertise(7400).Should().Be("node-3.csms.internal:7400");
    }

    [Fact]
    public async Task A_port_already_in_use_fails_start_up()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        RedisClusterOptions options = Linked() with { NodeLinks = Linked().NodeLinks! with { Listen = (IPEndPoint)taken.LocalEndPoint! } };
        Func<Task> start = () => RedisOcppCluster.ConnectAsync(options);
        await start.Should().ThrowAsync<SocketException>();
    }

    /// <summary>
    /// Connects a station to <paramref name="b"/> that answers <c>Which</c> at once and <c>Hold</c> (with
    /// <c>{"held":true}</c>) only when the returned source is set, and waits until <paramref name="a"/> has linked to
    /// <paramref name="b"/>. The task completes when a <c>Hold</c> reaches the station.
    /// </summary>
    private async Task<(TaskCompletionSource Held, Task Reached)> LinkWithHoldingStationAsync(ClusterNode a, ClusterNode b, string identity)
    {
        var held = new TaskCompletionSource();
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await ConnectAsync(b, identity, c =>
        {
            c.Handle("Which", _ => Reply("""{"node":"b"}"""));
            c.Handle("Hold", async _ =>
            {
                reached.TrySetResult();
                await held.Task;
                return OcppReply.With(OcppPayload.FromJson("""{"held":true}"""));
            });
        });
        await SeesAsync(a, identity);
        await a.Cluster.CallAsync(identity, "Which");
        await Eventually.TrueAsync(() => ValueTask.FromResult(((RedisOcppCluster)a.Cluster).OpenOutboundLinks == 1), "a linked to b");
        return (held, reached.Task);
    }

    private static async Task<(Socket Socket, NetworkStream Stream, PipeReader Reader)> HandshakeAsync(IPEndPoint endPoint, string key, string self, string peer)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endPoint);
            var stream = new NetworkStream(socket, ownsSocket: false);
            PipeReader reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await NodeLinkHandshake.RunClientAsync(stream, reader, Encoding.UTF8.GetBytes(key), [], self, peer, timeout.Token);
            return (socket, stream, reader);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<(Socket Socket, Stream Stream, PipeReader Reader)> TlsHandshakeAsync(IPEndPoint endPoint, string self, string peer)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endPoint);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            (System.Net.Security.SslStream ssl, byte[] binding) = await NodeLinkTls.AuthenticateAsClientAsync(new NetworkStream(socket, ownsSocket: false), timeout.Token);
            PipeReader reader = PipeReader.Create(ssl, new StreamPipeReaderOptions(leaveOpen: true));
            await NodeLinkHandshake.RunClientAsync(ssl, reader, Encoding.UTF8.GetBytes(Key), binding, self, peer, timeout.Token);
            return (socket, ssl, reader);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task WriteFrameAsync(Stream stream, byte[] payload)
    {
        var buffer = new ArrayBufferWriter<byte>();
        NodeLinkFrames.Write(buffer, payload);
        await stream.WriteAsync(buffer.WrittenMemory);
    }

    /// <summary>Sends bytes and reads until the server closes; true when it closed (within 10 s) without answering a link.</summary>
    private static async Task<bool> SendRawAndReadAsync(IPEndPoint endPoint, byte[] bytes)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint);
        if (bytes.Length > 0)
        {
            await socket.SendAsync(bytes);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        byte[] buffer = new byte[4096];
        try
        {
            while (await socket.ReceiveAsync(buffer, timeout.Token) > 0)
            {
                // A refusal message may come first; the close follows.
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    private static Task<long> PublishesAsync(IDatabase raw) => CommandCallsAsync(raw, "publish");
}

using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Ocpp.Rpc.Hardening.Tests.Support;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.Hardening.Tests;

/// <summary>
/// Second-round hardening, item 1, the transient part: what an incomplete message holds is on the guard's budget while
/// it inflates (not once it is whole), and a connection the guard closes lets go of its buffer at once, even if its
/// station never answers the close frame. Measured on <see cref="WebSocketTransport"/> itself over loopback TCP, where
/// the bytes read into the receive buffer can be seen.
/// </summary>
public sealed class IncompleteMessageMemoryTests
{
    private const int Kib = 1024;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_compressed_fragment_is_stopped_within_one_chunk_of_the_budget_while_it_inflates()
    {
        using var guard = new IncompleteMessageGuard(TimeSpan.FromMinutes(5), budget: 256 * Kib);
        await using Link link = await Link.OpenAsync(guard);

        await link.Station.SendFrameAsync(1, Bomb(), fin: false, rsv: 4); // inflates to ~900 KiB, never finished
        var received = new ArrayBufferWriter<byte>();
        Func<Task> receive = async () => await link.Transport.ReceiveAsync(received).AsTask().WaitAsync(Bound);

        (await receive.Should().ThrowAsync<TransportClosedException>()).Which.CloseCode.Should().Be(OcppCloseCodes.MessageTooBig);
        received.WrittenCount.Should().BeGreaterThan(64 * Kib).And.BeLessThanOrEqualTo(256 * Kib + 4 * Kib, "the inflation stops within one 4 KiB chunk of the budget, not when the message is whole");
        guard.BufferedBytes.Should().Be(0);
        guard.IncompleteMessages.Should().Be(0);

        RawMessage close = await link.Station.ReceiveMessageAsync(Bound);
        close.Kind.Should().Be(RawKind.Close, "the station gets the close frame before the link is dropped");
        close.CloseCode.Should().Be(OcppCloseCodes.MessageTooBig);
    }

    [Fact]
    public async Task A_waiting_message_closed_for_the_budget_lets_go_at_once_though_its_station_never_answers()
    {
        using var guard = new IncompleteMessageGuard(TimeSpan.FromMinutes(5), budget: 1536 * Kib); // one bomb fits, two do not
        await using Link first = await Link.OpenAsync(guard);
        await using Link second = await Link.OpenAsync(guard);
        byte[] bomb = Bomb();

        await first.Station.SendFrameAsync(1, bomb, fin: false, rsv: 4);
        ValueTask<TransportReceiveResult> firstReceive = first.Transport.ReceiveAsync(new ArrayBufferWriter<byte>());
        await Eventually.HoldsAsync(() => guard.BufferedBytes > 900 * Kib, "the first message is whole but for its end, and waits");
        firstReceive.IsCompleted.Should().BeFalse();

        await second.Station.SendFrameAsync(1, bomb, fin: false, rsv: 4);
        var secondBuffer = new ArrayBufferWriter<byte>();
        ValueTask<TransportReceiveResult> secondReceive = second.Transport.ReceiveAsync(secondBuffer);

        // The first holds the most: it is closed, and its waiting read ends without the 2 s it would give a station
        // to answer the close frame (this one never answers).
        Func<Task> ended = async () => await firstReceive.AsTask().WaitAsync(TimeSpan.FromSeconds(1));
        (await ended.Should().ThrowAsync<TransportClosedException>()).Which.CloseCode.Should().Be(OcppCloseCodes.MessageTooBig);
        RawMessage close = await first.Station.ReceiveMessageAsync(Bound);
        close.Kind.Should().Be(RawKind.Close);
        close.CloseCode.Should().Be(OcppCloseCodes.MessageTooBig);

        // The second fits the budget alone: it waits, the only message on it.
        await Eventually.HoldsAsync(() => secondBuffer.WrittenCount > 900 * Kib, "the second message inflated whole but for its end");
        secondReceive.IsCompleted.Should().BeFalse();
        guard.IncompleteMessages.Should().Be(1);
        guard.BufferedBytes.Should().Be(secondBuffer.WrittenCount);

        second.Transport.Abort();
        Func<Task> aborted = async () => await secondReceive.AsTask().WaitAsync(Bound);
        await aborted.Should().ThrowAsync<Exception>("the link is gone under the waiting read");
        await Eventually.HoldsAsync(() => guard.IncompleteMessages == 0 && guard.BufferedBytes == 0, "the aborted message leaves the guard");
    }

    // [2,"1","DataTransfer",{"vendorId":"x","data":"xxx...   (about 900 KiB, the message never ends)
    private static byte[] Bomb() => RawDeflate.Compress(Encoding.UTF8.GetBytes("[2,\"1\",\"DataTransfer\",{\"vendorId\":\"x\",\"data\":\"" + new string('x', 900 * Kib)));

    /// <summary>A server-side <see cref="WebSocketTransport"/> (permessage-deflate, no context takeover) and a raw station, over loopback TCP.</summary>
    private sealed class Link : IAsyncDisposable
    {
        private readonly TcpClient _station;
        private readonly TcpClient _server;

        private Link(TcpClient station, TcpClient server, WebSocketTransport transport)
        {
            _station = station;
            _server = server;
            Transport = transport;
            Station = RawWebSocket.Over(station);
        }

        public WebSocketTransport Transport { get; }

        public RawWebSocket Station { get; }

        public static async Task<Link> OpenAsync(IncompleteMessageGuard guard)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var station = new TcpClient { NoDelay = true };
            Task<TcpClient> accept = listener.AcceptTcpClientAsync();
            await station.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            TcpClient server = await accept;
            WebSocket socket = WebSocket.CreateFromStream(server.GetStream(), new WebSocketCreationOptions
            {
                IsServer = true,
                KeepAliveInterval = Timeout.InfiniteTimeSpan,
                DangerousDeflateOptions = new WebSocketDeflateOptions { ClientContextTakeover = false, ServerContextTakeover = false },
            });
            return new Link(station, server, new WebSocketTransport(socket, new WebSocketTransportOptions { IncompleteMessages = guard }));
        }

        public async ValueTask DisposeAsync()
        {
            await Transport.DisposeAsync();
            await Station.DisposeAsync();
            _station.Dispose();
            _server.Dispose();
        }
    }
}

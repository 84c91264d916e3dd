using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Ocpp.Rpc.Redis.Internal;

namespace Ocpp.Rpc.Redis.Tests;

/// <summary>A node link's outgoing queue is bounded: a peer that stops reading cannot make a node buffer without end.</summary>
public sealed class NodeLinkQueueTests
{
    [Fact]
    public async Task A_link_whose_peer_stops_reading_refuses_frames_beyond_its_queue_limit_and_takes_them_again_once_drained()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        using Socket peer = await listener.AcceptSocketAsync();
        var stream = new NetworkStream(socket, ownsSocket: false);
        var closed = new TaskCompletionSource<Exception?>();
        var link = new NodeLink("peer", socket, stream, PipeReader.Create(stream), 1 << 20, (_, _) => { }, (_, reason) => closed.TrySetResult(reason), maxQueuedBytes: 1 << 20);
        link.Start();

        // The peer reads nothing: the kernel's buffers fill, the write loop waits, and then the queue fills. A refusal
        // may come earlier while the write loop merely lags; once it waits on the socket, every frame is refused.
        byte[] frame = new byte[100 * 1024];
        int accepted = 0;
        int refusedInARow = 0;
        while (refusedInARow < 500)
        {
            if (link.TrySend(frame))
            {
                accepted++;
                refusedInARow = 0;
                accepted.Should().BeLessThan(2_000, "the link must refuse long before 200 MB are queued");
            }
            else
            {
                refusedInARow++;
                await Task.Yield();
            }
        }

        link.IsOpen.Should().BeTrue("a full queue is not a failure of the link");

        // The peer reads again: what was queued goes out, and the link takes frames again.
        long expected = (long)accepted * (frame.Length + 4);
        long read = 0;
        byte[] buffer = new byte[256 * 1024];
        while (read < expected)
        {
            int n = await peer.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(30));
            n.Should().BeGreaterThan(0);
            read += n;
        }

        link.TrySend(frame).Should().BeTrue();
        link.Close();
        (await closed.Task.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeNull();
    }
}

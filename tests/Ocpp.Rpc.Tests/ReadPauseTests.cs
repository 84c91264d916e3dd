using System.Text;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.Tests;

// OcppConnection.PauseReading: a filter or handler that cannot take more work stops the receive loop at once.
public class ReadPauseTests
{
    [Fact]
    public async Task A_pause_set_by_a_handler_stops_reading_at_once_and_reading_resumes_in_order_when_it_ends()
    {
        var resume = new TaskCompletionSource();
        var handled = new System.Collections.Concurrent.ConcurrentQueue<string>();
        (InMemoryTransport engineSide, InMemoryTransport peer) = InMemoryTransport.CreatePair(OcppProtocols.Ocpp16, capacity: 2);
        await using var connection = new OcppConnection(engineSide, OcppConnectionOptions.Default with { MaxConcurrentHandlers = 64 });
        connection.Handle("Hold", ctx =>
        {
            ctx.Connection.PauseReading(resume.Task);
            return new ValueTask<OcppReply>(OcppReply.Empty);
        });
        connection.Handle("Work", ctx =>
        {
            handled.Enqueue(ctx.MessageId);
            return new ValueTask<OcppReply>(OcppReply.Empty);
        });
        connection.Start();

        // Hold, then 10 Work calls: the loop reads Hold and stops, the transport takes 2 more, the 4th send must wait.
        int sent = 0;
        Task sender = Task.Run(async () =>
        {
            await peer.SendAsync(Encoding.UTF8.GetBytes("""[2,"hold","Hold",{}]"""));
            Interlocked.Increment(ref sent);
            for (int i = 0; i < 10; i++)
            {
                await peer.SendAsync(Encoding.UTF8.GetBytes($$"""[2,"w{{i}}","Work",{}]"""));
                Interlocked.Increment(ref sent);
            }
        });
        using var buffer = new Internal.PooledBufferWriter();
        (await peer.ReceiveAsync(buffer)).Kind.Should().Be(TransportMessageKind.Text);
        Encoding.UTF8.GetString(buffer.WrittenSpan).Should().Be("""[3,"hold",{}]""");
        await Eventually(() => Volatile.Read(ref sent) >= 3);

        // Without the pause the loop would go on reading and the sender would finish; with it nothing more is taken.
        handled.Should().BeEmpty();
        sender.IsCompleted.Should().BeFalse();
        Volatile.Read(ref sent).Should().Be(3, "one message read, two held by the transport, the next send waits");

        resume.SetResult();
        for (int i = 0; i < 10; i++)
        {
            buffer.Clear();
            (await peer.ReceiveAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10))).Kind.Should().Be(TransportMessageKind.Text);
        }

        await sender.WaitAsync(TimeSpan.FromSeconds(10));
        handled.Should().Equal(Enumerable.Range(0, 10).Select(i => "w" + i));
        await peer.DisposeAsync();
    }

    [Fact]
    public async Task A_pause_that_never_ends_does_not_keep_a_closing_connection_alive()
    {
        (InMemoryTransport engineSide, InMemoryTransport peer) = InMemoryTransport.CreatePair(OcppProtocols.Ocpp16);
        var connection = new OcppConnection(engineSide, OcppConnectionOptions.Default with { CloseTimeout = TimeSpan.FromMilliseconds(500) });
        connection.Handle("Hold", ctx =>
        {
            ctx.Connection.PauseReading(new TaskCompletionSource().Task);
            return new ValueTask<OcppReply>(OcppReply.Empty);
        });
        connection.Start();
        await peer.SendAsync(Encoding.UTF8.GetBytes("""[2,"hold","Hold",{}]"""));
        using var buffer = new Internal.PooledBufferWriter();
        (await peer.ReceiveAsync(buffer)).Kind.Should().Be(TransportMessageKind.Text);

        await connection.CloseAsync().WaitAsync(TimeSpan.FromSeconds(10));
        (await connection.Completion.WaitAsync(TimeSpan.FromSeconds(10))).Should().NotBeNull();
        await connection.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        FluentActions.Invoking(() => connection.PauseReading(null!)).Should().Throw<ArgumentNullException>();
        await peer.DisposeAsync();
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "the condition should have come true by now");
            await Task.Delay(5);
        }
    }
}

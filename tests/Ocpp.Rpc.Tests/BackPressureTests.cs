using System.Text;
using System.Text.Json;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.Tests;

public class BackPressureTests
{
    [Fact]
    public async Task A_send_stuck_behind_a_peer_that_stopped_reading_is_bounded_by_the_call_timeout()
    {
        (InMemoryTransport mine, InMemoryTransport silent) = InMemoryTransport.CreatePair(OcppProtocols.Ocpp16, capacity: 1);
        await using var connection = new OcppConnection(mine, OcppConnectionOptions.Default with { CallConcurrency = 2, CallTimeout = TimeSpan.FromMilliseconds(300) });
        connection.Start();
        Task<JsonElement> first = connection.CallAsync("Heartbeat");   // fills the peer's only slot
        Task<JsonElement> second = connection.CallAsync("Heartbeat");  // cannot even be sent
        await second.Invoking(t => t).Should().ThrowAsync<OcppCallTimeoutException>();
        await first.Invoking(t => t).Should().ThrowAsync<Exception>();
        (await connection.Completion.WaitAsync(TimeSpan.FromSeconds(5))).Code.Should().Be(1006, "a stuck send drops the link");
        await silent.DisposeAsync();
    }

    [Fact]
    public async Task A_flood_of_calls_is_read_only_as_fast_as_handlers_finish()
    {
        var release = new TaskCompletionSource();
        var twoRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int started = 0;
        (InMemoryTransport engineSide, InMemoryTransport flood) = InMemoryTransport.CreatePair(OcppProtocols.Ocpp16, capacity: 4);
        await using var connection = new OcppConnection(engineSide, OcppConnectionOptions.Default with { MaxConcurrentHandlers = 2 });
        connection.Handle("Work", async _ =>
        {
            if (Interlocked.Increment(ref started) == 2)
            {
                twoRunning.TrySetResult();
            }

            await release.Task;
            return OcppReply.Empty;
        });
        connection.Start();

        // The engine stops reading at 2 running handlers; the transport then holds 4 more; the 8th send must wait.
        int sent = 0;
        Task sender = Task.Run(async () =>
        {
            for (int i = 0; i < 100; i++)
            {
                await flood.SendAsync(Encoding.UTF8.GetBytes($$"""[2,"{{i}}","Work",{}]"""));
                Interlocked.Increment(ref sent);
            }
        });
        // Wait for the two handlers however slow the machine is, then give an engine that wrongly kept reading time
        // to start more.
        await twoRunning.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(300);
        Volatile.Read(ref started).Should().Be(2);
        Volatile.Read(ref sent).Should().BeLessThan(10, "nothing buffers an unbounded number of messages");
        sender.IsCompleted.Should().BeFalse();
        release.SetResult();
        int replies = 0;
        using var buffer = new Internal.PooledBufferWriter();
        while (replies < 100)
        {
            buffer.Clear();
            (await flood.ReceiveAsync(buffer)).Kind.Should().Be(TransportMessageKind.Text);
            replies++;
        }

        await sender.WaitAsync(TimeSpan.FromSeconds(10));
        Volatile.Read(ref started).Should().Be(100);
        await flood.DisposeAsync();
    }
}

using System.Collections.Concurrent;
using Ocpp.Rpc.Reliability.Tests.Support;

namespace Ocpp.Rpc.Reliability.Tests;

// Acceptance (c): the spec's retry rule (1.6 TransactionMessageAttempts / TransactionMessageRetryInterval, 2.x
// MessageAttemptsTransactionEvent / MessageAttemptIntervalTransactionEvent) on a fake clock.
public sealed class RetryRuleTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Ocpp16_a_CALLERROR_is_retried_after_interval_times_attempt_with_the_same_message_id()
    {
        int failuresLeft = 2;
        await using Csms csms = await Csms.StartAsync(behaviour: (_, seen) =>
            seen.Seq == 1 && Interlocked.Decrement(ref failuresLeft) >= 0
                ? throw new OcppRpcException(OcppErrorCode.InternalError, "database busy")
                : ValueTask.FromResult(OcppReply.With(OcppPayload.FromJson($$"""{"seq":{{seen.Seq}}}"""))));
        var time = new SignalingTime();
        await using var client = new OcppClient(Options(csms, "CP-R1", OcppProtocols.Ocpp16, time, attempts: 3));
        await client.ConnectAsync();

        OcppMessageHandle first = await client.EnqueueAsync("StartTransaction", Stations.Seq(1));
        OcppMessageHandle second = await client.EnqueueAsync("StopTransaction", Stations.Seq(2));

        (await time.NextTimerAsync()).Should().Be(Interval * 1, "after the first failed attempt the wait is the interval");
        csms.Seqs().Should().Equal([1], "the next message waits behind the one being retried");
        time.Advance(Interval);
        (await time.NextTimerAsync()).Should().Be(Interval * 2, "after the second failed attempt the wait is twice the interval");
        csms.Seqs().Should().Equal(1, 1);
        time.Advance(Interval * 2);

        OcppMessageResult result = await first.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        result.IsAnswered.Should().BeTrue();
        result.Attempts.Should().Be(3);
        (await second.Completion.WaitAsync(TimeSpan.FromSeconds(30))).IsAnswered.Should().BeTrue();
        csms.Seqs().Should().Equal(1, 1, 1, 2);
        csms.Seen.Where(s => s.Seq == 1).Select(s => s.MessageId).Distinct().Should().Equal(first.MessageId);
    }

    [Fact]
    public async Task Ocpp201_a_TransactionEvent_without_an_answer_is_retried_after_the_interval()
    {
        int silentLeft = 1;
        await using Csms csms = await Csms.StartAsync(behaviour: (_, seen) =>
            ValueTask.FromResult(Interlocked.Decrement(ref silentLeft) >= 0 ? OcppReply.NoReply : OcppReply.With(OcppPayload.FromJson("{}"))));
        var time = new SignalingTime();
        await using var client = new OcppClient(Options(csms, "CP-R2", OcppProtocols.Ocpp201, time, attempts: 2, callTimeout: TimeSpan.FromMilliseconds(300)));
        await client.ConnectAsync();

        OcppMessageHandle handle = await client.EnqueueAsync("TransactionEvent", OcppPayload.FromJson("""{"eventType":"Started","seq":1}"""));

        (await time.NextTimerAsync()).Should().Be(Interval);
        time.Advance(Interval);
        OcppMessageResult result = await handle.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        result.IsAnswered.Should().BeTrue();
        result.Attempts.Should().Be(2);
        csms.Seen.Select(s => s.MessageId).Should().Equal(handle.MessageId, handle.MessageId);
    }

    [Fact]
    public async Task After_the_last_attempt_the_message_is_dropped_reported_and_the_queue_goes_on()
    {
        await using Csms csms = await Csms.StartAsync(behaviour: (_, seen) =>
            seen.Seq == 1 ? throw new OcppRpcException(OcppErrorCode.PropertyConstraintViolation, "meterStart negative") : ValueTask.FromResult(OcppReply.Empty));
        var time = new SignalingTime();
        using SqliteOcppMessageStore store = SqliteOcppMessageStore.Open(_dir.File("queue.db"));
        await using var client = new OcppClient(Options(csms, "CP-R3", OcppProtocols.Ocpp16, time, attempts: 2, store: store));
        var dropped = new ConcurrentQueue<OcppMessageDroppedEventArgs>();
        client.MessageDropped += (_, e) => dropped.Enqueue(e);
        await client.ConnectAsync();

        Task<System.Text.Json.JsonElement> call = client.CallAsync("StartTransaction", Stations.Seq(1));
        OcppMessageHandle next = await client.EnqueueAsync("StopTransaction", Stations.Seq(2));
        (await time.NextTimerAsync()).Should().Be(Interval);
        time.Advance(Interval);

        OcppMessageDroppedException error = (await FluentActions.Awaiting(() => call).Should().ThrowAsync<OcppMessageDroppedException>()).Which;
        error.InnerException.Should().BeOfType<OcppPropertyConstraintViolationException>();
        error.Result.Status.Should().Be(OcppMessageStatus.Dropped);
        error.Result.ErrorCode.Should().Be("PropertyConstraintViolation");
        error.Result.ErrorDescription.Should().Be("meterStart negative");
        error.Result.Attempts.Should().Be(2);
        dropped.Should().ContainSingle().Which.Result.Id.Should().Be(error.Result.Id);
        (await next.Completion.WaitAsync(TimeSpan.FromSeconds(30))).IsAnswered.Should().BeTrue();
        csms.Seqs().Should().Equal(1, 1, 2);
        (await store.GetResultAsync(error.Result.Id))!.Status.Should().Be(OcppMessageStatus.Dropped, "the drop is recorded, not just reported");
        (await store.LoadPendingAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Failed_attempts_are_counted_across_a_restart_of_the_station()
    {
        await using Csms csms = await Csms.StartAsync(behaviour: (_, _) => throw new OcppRpcException(OcppErrorCode.InternalError, "down"));
        string path = _dir.File("queue.db");
        var time = new SignalingTime();
        long id;
        using (SqliteOcppMessageStore store = SqliteOcppMessageStore.Open(path))
        {
            await using var client = new OcppClient(Options(csms, "CP-R4", OcppProtocols.Ocpp16, time, attempts: 2, store: store));
            await client.ConnectAsync();
            id = (await client.EnqueueAsync("StopTransaction", Stations.Seq(1))).Id;
            (await time.NextTimerAsync()).Should().Be(Interval, "one attempt failed; the client now waits");
        }

        using (SqliteOcppMessageStore store = SqliteOcppMessageStore.Open(path))
        {
            (await store.LoadPendingAsync()).Should().ContainSingle().Which.Attempts.Should().Be(1);
            await using var client = new OcppClient(Options(csms, "CP-R4", OcppProtocols.Ocpp16, new SignalingTime(), attempts: 2, store: store));
            await client.ConnectAsync();
            OcppMessageResult result = (await client.GetMessageResultAsync(id).AsTask().WaitAsync(TimeSpan.FromSeconds(30)))!;
            result.Status.Should().Be(OcppMessageStatus.Dropped);
            result.Attempts.Should().Be(2);
        }

        csms.Seqs().Should().Equal(1, 1);
    }

    [Fact]
    public async Task A_lost_link_is_not_a_failed_attempt()
    {
        int dropsLeft = 2;
        Csms? csms = null;
        csms = await Csms.StartAsync(behaviour: async (context, seen) =>
        {
            if (Interlocked.Decrement(ref dropsLeft) >= 0)
            {
                _ = context.Connection.CloseAsync(new OcppCloseOptions { AwaitPending = false });
                await Task.Delay(Timeout.Infinite, context.CancellationToken).ContinueWith(_ => { });
            }

            return OcppReply.Empty;
        });
        await using (csms)
        {
            var time = new SignalingTime();
            await using var client = new OcppClient(Options(csms, "CP-R5", OcppProtocols.Ocpp16, time, attempts: 1) with { TimeProvider = TimeProvider.System, MessageQueue = new OcppMessageQueueOptions { MessageAttempts = 1 } });
            await client.ConnectAsync();
            OcppMessageHandle handle = await client.EnqueueAsync("StartTransaction", Stations.Seq(1));
            OcppMessageResult result = await handle.Completion.WaitAsync(TimeSpan.FromSeconds(30));
            result.IsAnswered.Should().BeTrue("with one attempt allowed, only a CALLERROR or a timeout would drop it");
            result.Attempts.Should().Be(1);
            csms.Seen.Select(s => s.MessageId).Should().Equal(handle.MessageId, handle.MessageId, handle.MessageId);
        }
    }

    private static OcppClientOptions Options(Csms csms, string identity, string protocol, TimeProvider time, int attempts, TimeSpan? callTimeout = null, IOcppMessageStore? store = null) =>
        Stations.Options(csms.Endpoint, identity, store, protocol, time) with
        {
            MessageQueue = new OcppMessageQueueOptions { Store = store, MessageAttempts = attempts, MessageRetryInterval = Interval, CallTimeout = callTimeout },
        };
}

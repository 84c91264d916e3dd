using System.Text.Json;
using Ocpp.Rpc.Reliability.Tests.Support;

namespace Ocpp.Rpc.Reliability.Tests;

public sealed class MessageQueueTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Messages_enqueued_before_the_first_connect_are_sent_in_order_and_results_are_readable_after_a_restart()
    {
        await using Csms csms = await Csms.StartAsync();
        string path = _dir.File("queue.db");
        var handles = new List<OcppMessageHandle>();
        using (SqliteOcppMessageStore store = SqliteOcppMessageStore.Open(path))
        {
            await using var client = new OcppClient(Stations.Options(csms.Endpoint, "CP-1", store));
            for (int i = 0; i < 20; i++)
            {
                handles.Add(await client.EnqueueAsync(i % 2 == 0 ? "StartTransaction" : "StopTransaction", Stations.Seq(i)));
            }

            client.QueuedMessageCount.Should().Be(20);
            csms.Seen.Should().BeEmpty("nothing is sent before the client connects");
            await client.ConnectAsync();
            OcppMessageResult[] results = await Task.WhenAll(handles.Select(h => h.Completion));
            results.Select(r => r.GetResponse().GetProperty("seq").GetInt32()).Should().Equal(Enumerable.Range(0, 20));
            results.Should().OnlyContain(r => r.IsAnswered && r.Attempts == 1);
            client.QueuedMessageCount.Should().Be(0);
        }

        csms.Seqs().Should().Equal(Enumerable.Range(0, 20));
        csms.Seen.Select(s => s.MessageId).Should().Equal(handles.Select(h => h.MessageId));

        using (SqliteOcppMessageStore store = SqliteOcppMessageStore.Open(path))
        {
            await using var client = new OcppClient(Stations.Options(csms.Endpoint, "CP-1", store));
            (await client.GetQueuedMessagesAsync()).Should().BeEmpty();
            OcppMessageResult? fifth = await client.GetMessageResultAsync(handles[5].Id);
            fifth!.MessageId.Should().Be(handles[5].MessageId);
            fifth.GetResponse().GetProperty("seq").GetInt32().Should().Be(5);
            (await client.GetMessageResultAsync(999_999)).Should().BeNull();
        }
    }

    [Fact]
    public async Task Messages_left_in_the_store_by_a_previous_client_are_sent_by_the_next_one()
    {
        await using Csms csms = await Csms.StartAsync();
        string path = _dir.File("queue.db");
        long[] ids;
        using (SqliteOcppMessageStore store = SqliteOcppMessageStore.Open(path))
        {
            await using var client = new OcppClient(Stations.Options(csms.Endpoint, "CP-2", store));
            var handles = new List<OcppMessageHandle>();
            for (int i = 0; i < 5; i++)
            {
                handles.Add(await client.EnqueueAsync("StopTransaction", Stations.Seq(i)));
            }

            ids = [.. handles.Select(h => h.Id)];

            // Disposed without ever connecting: the handles fault, the messages stay in the file.
            await client.DisposeAsync();
            await FluentActions.Awaiting(() => handles[0].Completion).Should().ThrowAsync<OcppConnectionClosedException>();
        }

        using (SqliteOcppMessageStore store = SqliteOcppMessageStore.Open(path))
        {
            await using var client = new OcppClient(Stations.Options(csms.Endpoint, "CP-2", store));
            IReadOnlyList<OcppMessageHandle> queued = await client.GetQueuedMessagesAsync();
            queued.Select(h => h.Id).Should().Equal(ids);
            await client.ConnectAsync();
            await Task.WhenAll(queued.Select(h => h.Completion));
            (await client.GetMessageResultAsync(ids[4]))!.IsAnswered.Should().BeTrue();
        }

        csms.Seqs().Should().Equal(0, 1, 2, 3, 4);
    }

    [Fact]
    public async Task CallAsync_routes_transaction_actions_through_the_queue_and_leaves_the_others_alone()
    {
        await using Csms csms = await Csms.StartAsync();
        await using var client = new OcppClient(Stations.Options(csms.Endpoint, "CP-3", store: null));

        // Closed: a transaction call is queued (and waits), a status notification fails as it always did.
        Task<JsonElement> start = client.CallAsync("StartTransaction", Stations.Seq(1));
        client.QueuedMessageCount.Should().Be(1);
        await FluentActions.Awaiting(() => client.CallAsync("StatusNotification", OcppPayload.FromJson("""{"seq":2}""")))
            .Should().ThrowAsync<OcppConnectionClosedException>();
        await FluentActions.Awaiting(() => client.CallAsync("MeterValues", OcppPayload.FromJson("""{"connectorId":1,"seq":3}""")))
            .Should().ThrowAsync<OcppConnectionClosedException>("MeterValues without a transactionId is not transaction-related");

        await client.ConnectAsync();
        (await start).GetProperty("seq").GetInt32().Should().Be(1);
        (await client.CallAsync("MeterValues", Stations.Seq(4))).GetProperty("seq").GetInt32().Should().Be(4);
        (await client.CallAsync("MeterValues", OcppPayload.FromJson("""{"connectorId":1,"seq":5}"""))).GetProperty("seq").GetInt32().Should().Be(5);
        csms.Seqs().Should().Equal(1, 4, 5);
    }

    [Fact]
    public async Task Without_a_queue_EnqueueAsync_is_refused_and_calls_behave_as_before()
    {
        await using var client = new OcppClient(Stations.Options(new Uri("ws://127.0.0.1:1/ocpp"), "CP-4", null) with { MessageQueue = null });

        await FluentActions.Awaiting(() => client.EnqueueAsync("StartTransaction").AsTask()).Should().ThrowAsync<InvalidOperationException>().WithMessage("*MessageQueue*");
        await FluentActions.Awaiting(() => client.CallAsync("StartTransaction")).Should().ThrowAsync<OcppConnectionClosedException>();
        client.QueuedMessageCount.Should().Be(0);
    }

    [Fact]
    public async Task The_queue_is_bounded()
    {
        await using var client = new OcppClient(Stations.Options(new Uri("ws://127.0.0.1:1/ocpp"), "CP-5", null) with
        {
            MessageQueue = new OcppMessageQueueOptions { MaxQueuedMessages = 3 },
        });
        for (int i = 0; i < 3; i++)
        {
            await client.EnqueueAsync("StopTransaction", Stations.Seq(i));
        }

        await FluentActions.Awaiting(() => client.EnqueueAsync("StopTransaction").AsTask()).Should().ThrowAsync<OcppCallQueueFullException>();
    }

    // Acceptance (a): 1,000 transaction messages while the CSMS is restarted 5 times, each restart dropping the link
    // while a call is being handled (its answer is lost). The station resends with the same message id; the CSMS's
    // duplicate-call memory (kept over the restarts) answers the retry, so its handler sees each message exactly once.
    [Fact]
    public async Task A_thousand_messages_over_five_CSMS_restarts_are_handled_exactly_once_in_order()
    {
        const int count = 1000;
        int[] restartAt = [97, 250, 421, 640, 888];
        var filter = new OcppDuplicateCallFilter();
        Csms? csms = null;
        var restarts = new List<Task>();
        csms = await Csms.StartAsync(filter, behaviour: async (context, seen) =>
        {
            if (restartAt.Contains(seen.Seq) && csms!.Seen.Count(s => s.Seq == seen.Seq) == 1)
            {
                // Drop every connection while this call is in the handler, then answer into the void.
                lock (restarts)
                {
                    restarts.Add(Task.Run(csms.RestartAsync));
                }

                await Task.Delay(Timeout.Infinite, context.CancellationToken).ContinueWith(_ => { });

                // The handler is cancelled when the shutdown starts, which can be before the socket is gone: on a busy
                // machine the answer then still reached the station, which did not resend (one duplicate short).
                // Answering once the connection is closed loses it for sure.
                await context.Connection.Completion;
            }

            return OcppReply.With(OcppPayload.FromJson($$"""{"seq":{{seen.Seq}}}"""));
        }, options: new OcppServerOptions { ShutdownTimeout = TimeSpan.FromMilliseconds(100) });
        await using (csms)
        {
            using SqliteOcppMessageStore store = SqliteOcppMessageStore.Open(_dir.File("queue.db"));
            await using var client = new OcppClient(Stations.Options(csms.Endpoint, "CP-A", store));
            int disconnects = 0;
            client.Disconnected += (_, _) => Interlocked.Increment(ref disconnects);
            await client.ConnectAsync();

            var handles = new List<OcppMessageHandle>(count);
            for (int i = 0; i < count; i++)
            {
                handles.Add(await client.EnqueueAsync(i % 3 == 0 ? "StartTransaction" : i % 3 == 1 ? "MeterValues" : "StopTransaction", Stations.Seq(i)));
            }

            OcppMessageResult[] results = await Task.WhenAll(handles.Select(h => h.Completion)).WaitAsync(TimeSpan.FromMinutes(2));
            Task[] restarted;
            lock (restarts)
            {
                restarted = [.. restarts];
            }

            await Task.WhenAll(restarted);

            results.Should().OnlyContain(r => r.IsAnswered);
            results.Select(r => r.GetResponse().GetProperty("seq").GetInt32()).Should().Equal(Enumerable.Range(0, count));
            restarted.Should().HaveCount(restartAt.Length);
            disconnects.Should().BeGreaterThanOrEqualTo(restartAt.Length);
            filter.DuplicatesAnswered.Should().Be(restartAt.Length, "each lost answer was resent once and answered from memory");
        }

        IReadOnlyList<int> handled = csms.Seqs();
        handled.Should().Equal(Enumerable.Range(0, count), "the handler saw every message exactly once, in enqueue order");
        csms.Seen.Select(s => s.MessageId).Should().OnlyHaveUniqueItems();
    }
}

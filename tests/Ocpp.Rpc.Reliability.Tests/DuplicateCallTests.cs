using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Ocpp.Rpc.Reliability.Tests.Support;

namespace Ocpp.Rpc.Reliability.Tests;

public sealed class DuplicateCallTests
{
    [Fact]
    public async Task A_retry_with_the_same_message_id_is_answered_from_memory_without_running_the_handler()
    {
        int runs = 0;
        await using Csms csms = await Csms.StartAsync(
            behaviour: (_, seen) => ValueTask.FromResult(OcppReply.With(OcppPayload.FromJson($$"""{"run":{{Interlocked.Increment(ref runs)}}}"""))),
            options: new OcppServerOptions { DuplicateCalls = new OcppDuplicateCallOptions() });
        await using var client = new OcppClient(Stations.Options(csms.Endpoint, "CP-D1", null) with { MessageQueue = null });
        await client.ConnectAsync();
        var retry = new OcppCallOptions { MessageId = "tx-42" };

        JsonElement first = await client.CallAsync("StartTransaction", Stations.Seq(1), retry);
        JsonElement again = await client.CallAsync("StartTransaction", Stations.Seq(1), retry);
        JsonElement other = await client.CallAsync("StartTransaction", Stations.Seq(2), new OcppCallOptions { MessageId = "tx-43" });
        JsonElement notTransaction = await client.CallAsync("Heartbeat", default, new OcppCallOptions { MessageId = "tx-42" });

        first.GetProperty("run").GetInt32().Should().Be(1);
        again.GetProperty("run").GetInt32().Should().Be(1, "the retry got the first answer");
        other.GetProperty("run").GetInt32().Should().Be(2);
        notTransaction.GetProperty("run").GetInt32().Should().Be(3, "only transaction-related actions are remembered by default");
        runs.Should().Be(3);
    }

    [Fact]
    public async Task A_CALLERROR_is_not_remembered_so_the_retry_runs_the_handler_again()
    {
        int runs = 0;
        await using Csms csms = await Csms.StartAsync(
            behaviour: (_, _) => Interlocked.Increment(ref runs) == 1 ? throw new OcppRpcException(OcppErrorCode.InternalError, "busy") : ValueTask.FromResult(OcppReply.Empty),
            options: new OcppServerOptions { DuplicateCalls = new OcppDuplicateCallOptions() });
        await using var client = new OcppClient(Stations.Options(csms.Endpoint, "CP-D2", null) with { MessageQueue = null });
        await client.ConnectAsync();
        var retry = new OcppCallOptions { MessageId = "tx-1" };

        await FluentActions.Awaiting(() => client.CallAsync("StopTransaction", Stations.Seq(1), retry)).Should().ThrowAsync<OcppInternalErrorException>();
        await client.CallAsync("StopTransaction", Stations.Seq(1), retry);

        runs.Should().Be(2);
    }

    [Fact]
    public async Task A_retry_on_a_new_connection_while_the_first_is_still_handled_waits_for_its_answer()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int runs = 0;
        var filter = new OcppDuplicateCallFilter();
        await using Csms csms = await Csms.StartAsync(filter, behaviour: async (_, _) =>
        {
            Interlocked.Increment(ref runs);
            await release.Task;
            return OcppReply.With(OcppPayload.FromJson("""{"status":"Accepted"}"""));
        });
        await using var one = new OcppClient(Stations.Options(csms.Endpoint, "CP-D3", null) with { MessageQueue = null, Reconnect = OcppReconnectOptions.Disabled });
        await using var two = new OcppClient(Stations.Options(csms.Endpoint, "CP-D3", null) with { MessageQueue = null });
        await one.ConnectAsync();
        var retry = new OcppCallOptions { MessageId = "same" };

        Task<JsonElement> first = one.CallAsync("TransactionEvent", OcppPayload.FromJson("{}"), retry);
        await Eventually.TrueAsync(() => Volatile.Read(ref runs) == 1, "the first call reached the handler");

        // The station comes back on a new connection (replacing the old one) and retries while the CSMS still works on it.
        await two.ConnectAsync();
        await FluentActions.Awaiting(() => first).Should().ThrowAsync<OcppConnectionClosedException>();
        Task<JsonElement> second = two.CallAsync("TransactionEvent", OcppPayload.FromJson("{}"), retry);
        await Task.Delay(50);
        second.IsCompleted.Should().BeFalse("the retry waits for the answer of the run in progress");
        release.SetResult();

        (await second).GetProperty("status").GetString().Should().Be("Accepted");
        runs.Should().Be(1);
        filter.DuplicatesAnswered.Should().Be(1);
    }

    [Fact]
    public async Task Answers_are_forgotten_after_the_time_to_live_and_beyond_the_per_station_limit()
    {
        var time = new FakeTimeProvider();
        int runs = 0;
        var filter = new OcppDuplicateCallFilter(new OcppDuplicateCallOptions { MaxEntriesPerStation = 2, TimeToLive = TimeSpan.FromMinutes(1), TimeProvider = time });
        await using Csms csms = await Csms.StartAsync(filter, behaviour: (_, _) => ValueTask.FromResult(OcppReply.With(OcppPayload.FromJson($$"""{"run":{{Interlocked.Increment(ref runs)}}}"""))));
        await using var client = new OcppClient(Stations.Options(csms.Endpoint, "CP-D4", null) with { MessageQueue = null });
        await client.ConnectAsync();
        async Task<int> Call(string id) => (await client.CallAsync("StopTransaction", default, new OcppCallOptions { MessageId = id })).GetProperty("run").GetInt32();

        (await Call("a")).Should().Be(1);
        (await Call("a")).Should().Be(1);
        time.Advance(TimeSpan.FromMinutes(2));
        (await Call("a")).Should().Be(2, "expired");
        (await Call("b")).Should().Be(3);
        (await Call("c")).Should().Be(4);
        (await Call("a")).Should().Be(5, "evicted: only the last two answers are kept");
        (await Call("c")).Should().Be(4);
    }
}

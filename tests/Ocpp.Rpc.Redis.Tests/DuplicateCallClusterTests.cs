using System.Text.Json;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Client;
using Ocpp.Rpc.Clustering.Specs;

namespace Ocpp.Rpc.Redis.Tests;

/// <summary>
/// The duplicate-call memory (<see cref="OcppServerOptions.DuplicateCalls"/>) across a cluster: two ASP.NET Core nodes
/// on a real redis-server, real <see cref="OcppClient"/> stations. A transaction message retried (same message id) on
/// the other node after a reconnect is answered with the first answer and its handler runs once in all.
/// </summary>
public sealed class DuplicateCallClusterTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private readonly HostedClusterNodes _nodes = new(redis.Server.Configuration, $"dup-{Guid.NewGuid():N}:");
    private int _runs;

    public static TheoryData<string> Versions => [OcppProtocols.Ocpp16, OcppProtocols.Ocpp201, OcppProtocols.Ocpp21];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _nodes.DisposeAsync().AsTask();

    // Each run answers with its own number, so an answer shows which run it came from.
    private async Task<HostedNode> StartNodeAsync(Func<OcppCallContext, ValueTask>? before = null)
    {
        HostedNode node = await _nodes.StartNodeAsync(o => o with { DuplicateCalls = OcppDuplicateCallOptions.Default with { ClaimTimeout = TimeSpan.FromSeconds(20) } });
        OcppCallHandler handler = async ctx =>
        {
            int run = Interlocked.Increment(ref _runs);
            if (before is not null)
            {
                await before(ctx);
            }

            return OcppReply.With(OcppPayload.FromJson(ctx.Action == "StartTransaction"
                ? $$$"""{"transactionId":{{{run}}},"idTagInfo":{"status":"Accepted"}}"""
                : $$"""{"totalCost":{{run}}}"""));
        };
        node.Server.Handle("StartTransaction", handler);
        node.Server.Handle("TransactionEvent", handler);
        node.Server.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppPayload.FromJson("""{"currentTime":"2025-01-01T00:00:00Z"}""")));
        return node;
    }

    private static (string Action, OcppPayload Payload) Transaction(string protocol) => protocol == OcppProtocols.Ocpp16
        ? ("StartTransaction", OcppPayload.FromJson("""{"connectorId":1,"idTag":"TAG","meterStart":0,"timestamp":"2025-01-01T00:00:00Z"}"""))
        : ("TransactionEvent", OcppPayload.FromJson("""{"eventType":"Started","timestamp":"2025-01-01T00:00:00Z","triggerReason":"Authorized","seqNo":0,"transactionInfo":{"transactionId":"T1"}}"""));

    private static int RunOf(JsonElement answer) =>
        answer.TryGetProperty("transactionId", out JsonElement id) ? id.GetInt32() : (int)answer.GetProperty("totalCost").GetDouble();

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task A_retry_on_the_other_node_gets_the_first_answer_without_running_the_handler_again(string protocol)
    {
        HostedNode a = await StartNodeAsync();
        HostedNode b = await StartNodeAsync();
        (string action, OcppPayload payload) = Transaction(protocol);
        var sameId = new OcppCallOptions { MessageId = "tx-" + protocol };

        OcppClient onA = await _nodes.ConnectAsync(a.Endpoint, "CP-RETRY", protocol);
        int first = RunOf(await onA.CallAsync(action, payload, sameId));
        await onA.CloseAsync();

        OcppClient onB = await _nodes.ConnectAsync(b.Endpoint, "CP-RETRY", protocol);
        RunOf(await onB.CallAsync(action, payload, sameId)).Should().Be(first, "node B answers from Redis");
        Volatile.Read(ref _runs).Should().Be(1);

        // A new message id, and another station with the same id, are new calls.
        RunOf(await onB.CallAsync(action, payload, new OcppCallOptions { MessageId = "tx-next" })).Should().Be(2);
        OcppClient other = await _nodes.ConnectAsync(a.Endpoint, "CP-OTHER", protocol);
        RunOf(await other.CallAsync(action, payload, sameId)).Should().Be(3);
        Volatile.Read(ref _runs).Should().Be(3);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task A_retry_that_reaches_the_other_node_while_the_first_still_runs_waits_for_its_answer(string protocol)
    {
        var firstRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finishFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        HostedNode a = await StartNodeAsync(async _ =>
        {
            firstRunning.TrySetResult();
            await finishFirst.Task;
        });
        HostedNode b = await StartNodeAsync();
        (string action, OcppPayload payload) = Transaction(protocol);
        var sameId = new OcppCallOptions { MessageId = "slow-" + protocol };

        // The station's link to A drops while A's handler runs (the answer is never delivered).
        OcppClient onA = await _nodes.ConnectAsync(a.Endpoint, "CP-SLOW", protocol, TimeSpan.FromSeconds(30));
        Task<JsonElement> lost = onA.CallAsync(action, payload, sameId);
        await firstRunning.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await onA.CloseAsync(new OcppCloseOptions { Force = true });
        await lost.Invoking(t => t).Should().ThrowAsync<Exception>();

        // The retry on B waits for A's claim; when A's handler ends, B answers with its result.
        var retryReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        b.Server.StationConnected += (_, e) => e.Connection.CallReceived += (_, call) => retryReceived.TrySetResult();
        OcppClient onB = await _nodes.ConnectAsync(b.Endpoint, "CP-SLOW", protocol, TimeSpan.FromSeconds(30));
        Task<JsonElement> retry = onB.CallAsync(action, payload, sameId);
        await retryReceived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        retry.IsCompleted.Should().BeFalse("A still runs the call");
        finishFirst.SetResult();
        RunOf(await retry.WaitAsync(TimeSpan.FromSeconds(15))).Should().Be(1);
        Volatile.Read(ref _runs).Should().Be(1);
    }

    [Fact]
    public async Task A_call_answered_with_a_CALLERROR_is_run_again_on_retry_and_answers_live_in_Redis_for_the_time_to_live()
    {
        bool fail = true;
        HostedNode a = await StartNodeAsync(_ => Volatile.Read(ref fail) ? throw new OcppInternalErrorException("database down") : ValueTask.CompletedTask);
        HostedNode b = await StartNodeAsync();
        (string action, OcppPayload payload) = Transaction(OcppProtocols.Ocpp16);
        var sameId = new OcppCallOptions { MessageId = "err-1" };

        OcppClient onA = await _nodes.ConnectAsync(a.Endpoint, "CP-ERR", OcppProtocols.Ocpp16);
        await onA.Invoking(c => c.CallAsync(action, payload, sameId)).Should().ThrowAsync<OcppInternalErrorException>();
        await onA.CloseAsync();
        Volatile.Write(ref fail, false);

        OcppClient onB = await _nodes.ConnectAsync(b.Endpoint, "CP-ERR", OcppProtocols.Ocpp16);
        RunOf(await onB.CallAsync(action, payload, sameId)).Should().Be(2, "the claim of the failed run was released");

        await using var raw = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration);
        StackExchange.Redis.IDatabase db = raw.GetDatabase();
        string key = _nodes.Prefix + "reply:StartTransaction:6:CP-ERR:err-1";
        ((string?)await db.StringGetAsync(key)).Should().StartWith("R{\"transactionId\":2");
        (await db.KeyTimeToLiveAsync(key)).Should().BeCloseTo(OcppDuplicateCallOptions.Default.TimeToLive, TimeSpan.FromMinutes(1));
        await Eventually.TrueAsync(() => ValueTask.FromResult(Volatile.Read(ref _runs) == 2), "two runs in all");
    }

    [Fact]
    public async Task With_Redis_down_calls_still_run_once_per_node_from_its_own_memory()
    {
        await using RedisServer own = await RedisServer.StartAsync(); // This test's own redis-server: it is stopped.
        await using var nodes = new HostedClusterNodes(own.Configuration, _nodes.Prefix);
        HostedNode node = await nodes.StartNodeAsync(o => o with { DuplicateCalls = OcppDuplicateCallOptions.Default });
        int runs = 0;
        node.Server.Handle("StartTransaction", _ => new ValueTask<OcppReply>(OcppPayload.FromJson($$$"""{"transactionId":{{{Interlocked.Increment(ref runs)}}},"idTagInfo":{"status":"Accepted"}}""")));
        OcppClient station = await nodes.ConnectAsync(node.Endpoint, "CP-NO-REDIS", OcppProtocols.Ocpp16, TimeSpan.FromSeconds(10));
        await own.StopAsync();

        (string action, OcppPayload payload) = Transaction(OcppProtocols.Ocpp16);
        var sameId = new OcppCallOptions { MessageId = "offline-1" };
        RunOf(await station.CallAsync(action, payload, sameId)).Should().Be(1, "a store outage never loses a call");
        RunOf(await station.CallAsync(action, payload, sameId)).Should().Be(1, "the node's own memory still answers the retry");
        Volatile.Read(ref runs).Should().Be(1);
    }
}

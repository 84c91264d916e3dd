using System.Collections.Concurrent;
using System.Text.Json;
using Ocpp.Rpc.Client.Tests.Support;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.Client.Tests;

/// <summary>Losing the link, the back-off, the call queue while reconnecting, and giving up.</summary>
public sealed class ReconnectTests
{
    [Fact]
    public async Task Reconnects_after_the_server_restarts_with_back_off_offering_only_the_pinned_subprotocol()
    {
        await using TestCsms csms = await TestCsms.StartAsync();
        await using var client = new OcppClient(Clients.For(csms.Endpoint, "CP-1", OcppProtocols.Ocpp201, OcppProtocols.Ocpp16));
        var events = new ClientEvents(client);
        await client.ConnectAsync();
        (await csms.NextSessionAsync()).Handshake.OfferedProtocols.Should().Equal(OcppProtocols.Ocpp201, OcppProtocols.Ocpp16);

        await csms.StopAsync();
        await Wait.UntilAsync(() => events.Attempts.Count >= 4, "four attempts failed against the stopped server");
        await csms.RestartAsync();

        Session session = await csms.NextSessionAsync();
        session.Handshake.OfferedProtocols.Should().Equal([OcppProtocols.Ocpp201], "reconnects offer only the negotiated subprotocol");
        await Wait.UntilAsync(() => client.State == OcppClientState.Open, "the client is open again");
        client.Protocol.Should().Be(OcppProtocols.Ocpp201);
        client.Connection.Should().NotBeNull();
        OcppClientReconnectingEventArgs[] attempts = events.Attempts.ToArray();
        attempts.Select(a => a.Attempt).Take(4).Should().Equal(1, 2, 3, 4);
        attempts[0].LastError.Should().BeNull();
        attempts[1].LastError.Should().BeOfType<OcppConnectException>().Which.Failure.Should().Be(OcppConnectFailure.Network);

        // FastReconnect: 50 ms doubled twice at most, plus up to 50 ms random.
        attempts[0].Delay.ShouldBeBetween(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100));
        attempts[1].Delay.ShouldBeBetween(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(150));
        attempts[2].Delay.ShouldBeBetween(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(250));
        attempts[3].Delay.ShouldBeBetween(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public async Task A_normal_close_by_the_server_also_reconnects_and_handlers_keep_working()
    {
        await using TestCsms csms = await TestCsms.StartAsync();
        await using var client = new OcppClient(Clients.For(csms.Endpoint));
        int calls = 0;
        client.Handle("GetConfiguration", _ =>
        {
            Interlocked.Increment(ref calls);
            return new(OcppReply.Empty);
        });
        var events = new ClientEvents(client);
        await client.ConnectAsync();
        Session first = await csms.NextSessionAsync();
        await first.Connection.CallAsync("GetConfiguration").Within();

        await first.Connection.CloseAsync(new OcppCloseOptions { Reason = "maintenance" });

        Session second = await csms.NextSessionAsync();
        await second.Connection.CallAsync("GetConfiguration").Within();
        calls.Should().Be(2);
        events.All.Should().Contain("Disconnected:1000:retry");
    }

    [Fact]
    public async Task Events_fire_in_order()
    {
        await using TestCsms csms = await TestCsms.StartAsync();
        await using var client = new OcppClient(Clients.For(csms.Endpoint));
        var events = new ClientEvents(client);
        await client.ConnectAsync();
        Session first = await csms.NextSessionAsync();

        await first.Connection.CloseAsync();
        await csms.NextSessionAsync();
        await Wait.UntilAsync(() => client.State == OcppClientState.Open, "reconnected");
        await client.CloseAsync();

        events.All.Should().Equal(
            "State:Connecting",
            "Connected",
            "State:Open",
            "Disconnected:1000:retry",
            "State:Reconnecting",
            "Reconnecting:1",
            "Reconnected",
            "State:Open",
            "State:Closing",
            "Disconnected:1000:final",
            "State:Closed");
    }

    [Fact]
    public async Task Calls_made_while_reconnecting_are_queued_and_delivered_in_order_after_reconnect()
    {
        await using TestCsms csms = await TestCsms.StartAsync();
        var seen = new ConcurrentQueue<int>();
        csms.Handlers.Handle("Echo", context =>
        {
            seen.Enqueue(context.PayloadElement.GetProperty("n").GetInt32());
            return new(OcppPayload.FromElement(context.PayloadElement));
        });
        await using var client = new OcppClient(Clients.For(csms.Endpoint) with { Reconnect = Clients.FastReconnect with { WaitMinimum = TimeSpan.FromMilliseconds(200) } });
        await client.ConnectAsync();
        await csms.NextSessionAsync();

        await csms.StopAsync();
        await Wait.UntilAsync(() => client.State == OcppClientState.Reconnecting, "the client noticed the loss");
        Task<JsonElement>[] calls = Enumerable.Range(1, 5).Select(n => client.CallAsync("Echo", OcppPayload.FromJson($$"""{"n":{{n}}}"""))).ToArray();
        await Task.Delay(100);
        calls.Should().OnlyContain(c => !c.IsCompleted, "they wait for the next connection");
        await csms.RestartAsync();

        JsonElement[] results = await Task.WhenAll(calls).Within();
        results.Select(r => r.GetProperty("n").GetInt32()).Should().Equal(1, 2, 3, 4, 5);
        seen.Should().Equal(1, 2, 3, 4, 5);
    }

    [Fact]
    public async Task A_full_queue_refuses_calls_and_close_during_reconnect_stops_it_and_fails_the_queue()
    {
        await using TestCsms csms = await TestCsms.StartAsync();
        await using var client = new OcppClient(Clients.For(csms.Endpoint) with { MaxQueuedCalls = 2 });
        var events = new ClientEvents(client);
        await client.ConnectAsync();
        await csms.NextSessionAsync();
        await csms.StopAsync();
        await Wait.UntilAsync(() => client.State == OcppClientState.Reconnecting, "the client noticed the loss");

        Task<JsonElement> first = client.CallAsync("Heartbeat");
        Task<JsonElement> second = client.CallAsync("Heartbeat");
        await FluentActions.Awaiting(() => client.CallAsync("Heartbeat")).Should().ThrowAsync<OcppCallQueueFullException>();
        await Wait.UntilAsync(() => events.Attempts.Count >= 2, "reconnecting is under way");

        await client.CloseAsync().Within();

        client.State.Should().Be(OcppClientState.Closed);
        await FluentActions.Awaiting(() => first).Should().ThrowAsync<OcppConnectionClosedException>();
        await FluentActions.Awaiting(() => second).Should().ThrowAsync<OcppConnectionClosedException>();
        int attempts = events.Attempts.Count;
        await csms.RestartAsync();
        await Task.Delay(400);
        events.Attempts.Count.Should().Be(attempts, "no attempt follows the close");
        csms.Handshakes.Should().HaveCount(1);
        events.All[^1].Should().Be("State:Closed");
    }

    [Fact]
    public async Task A_cancelled_queued_call_is_never_sent()
    {
        await using TestCsms csms = await TestCsms.StartAsync();
        var seen = new ConcurrentQueue<string>();
        csms.Handlers.HandleAny(context =>
        {
            seen.Enqueue(context.Action);
            return new(OcppReply.Empty);
        });
        await using var client = new OcppClient(Clients.For(csms.Endpoint) with { Reconnect = Clients.FastReconnect with { WaitMinimum = TimeSpan.FromMilliseconds(200) } });
        await client.ConnectAsync();
        await csms.NextSessionAsync();
        await csms.StopAsync();
        await Wait.UntilAsync(() => client.State == OcppClientState.Reconnecting, "the client noticed the loss");
        using var cts = new CancellationTokenSource();

        Task<JsonElement> cancelled = client.CallAsync("Cancelled", cancellationToken: cts.Token);
        Task<JsonElement> kept = client.CallAsync("Kept");
        await cts.CancelAsync();
        await FluentActions.Awaiting(() => cancelled).Should().ThrowAsync<OperationCanceledException>();
        await csms.RestartAsync();
        await kept.Within();

        seen.Should().Equal("Kept");
    }

    [Fact]
    public async Task Max_attempts_is_honoured_then_the_client_is_closed_and_queued_calls_fail()
    {
        await using TestCsms csms = await TestCsms.StartAsync();
        var clock = new RecordingTimeProvider();
        OcppClientOptions options = Clients.For(csms.Endpoint) with
        {
            // Minutes-long back-off: the recording clock lets it elapse at once and keeps what was asked for.
            Reconnect = new OcppReconnectOptions { WaitMinimum = TimeSpan.FromMinutes(1), RandomRange = TimeSpan.FromMinutes(1), RepeatTimes = 2, MaxAttempts = 4 },
            TimeProvider = clock,
        };
        await using var client = new OcppClient(options);
        var events = new ClientEvents(client);
        await client.ConnectAsync();
        await csms.NextSessionAsync();

        var queuedCall = new TaskCompletionSource<Task<JsonElement>>();
        client.Reconnecting += (_, e) =>
        {
            if (e.Attempt == 1)
            {
                // The back-off elapses at once here, so queue the call while the client is surely reconnecting.
                queuedCall.SetResult(client.CallAsync("Heartbeat"));
            }
        };

        await csms.StopAsync();
        Task<JsonElement> queued = await queuedCall.Task.Within();
        // The event, not the State property: the state changes under the client's lock and the event is raised just
        // after, so polling the property can see Closed before the StateChanged subscriber has run.
        await Wait.UntilAsync(() => events.Contains("State:Closed"), "the client gave up");

        client.State.Should().Be(OcppClientState.Closed);
        events.Attempts.Select(a => a.Attempt).Should().Equal(1, 2, 3, 4);
        events.All.TakeLast(2).Should().Equal("Reconnecting:4", "State:Closed");
        OcppConnectionClosedException error = (await FluentActions.Awaiting(() => queued).Should().ThrowAsync<OcppConnectionClosedException>()).Which;
        error.Message.Should().Contain("4 attempts");
        TimeSpan[] delays = clock.Delays.ToArray();
        delays.Should().HaveCount(4);
        delays[0].ShouldBeBetween(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2));
        delays[1].ShouldBeBetween(TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3));
        delays[2].ShouldBeBetween(TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        delays[3].ShouldBeBetween(TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        delays.Should().Equal(events.Attempts.Select(a => a.Delay), (waited, announced) => (waited - announced).Duration() < TimeSpan.FromMilliseconds(1), "the clock waited the announced back-off (to the millisecond)");
    }

    [Fact]
    public async Task With_reconnect_disabled_a_lost_link_closes_the_client()
    {
        await using TestCsms csms = await TestCsms.StartAsync();
        await using var client = new OcppClient(Clients.For(csms.Endpoint) with { Reconnect = OcppReconnectOptions.Disabled });
        var events = new ClientEvents(client);
        await client.ConnectAsync();
        Session session = await csms.NextSessionAsync();

        await session.Connection.CloseAsync(new OcppCloseOptions { Code = OcppCloseCodes.GoingAway });

        await Wait.UntilAsync(() => events.Contains("State:Closed"), "the client closed"); // The event follows the state.
        client.State.Should().Be(OcppClientState.Closed);
        events.All.Should().EndWith(["Disconnected:1001:final", "State:Closed"]);
        await FluentActions.Awaiting(() => client.CallAsync("Heartbeat")).Should().ThrowAsync<OcppConnectionClosedException>();
    }
    [Fact]
    public async Task A_call_in_flight_when_the_link_drops_fails_and_is_not_resent()
    {
        await using TestCsms csms = await TestCsms.StartAsync();
        var arrived = new TaskCompletionSource();
        int received = 0;
        csms.Handlers.Handle("Slow", _ =>
        {
            Interlocked.Increment(ref received);
            arrived.TrySetResult();
            return new(OcppReply.NoReply);
        });
        await using var client = new OcppClient(Clients.For(csms.Endpoint));
        await client.ConnectAsync();
        Session session = await csms.NextSessionAsync();

        Task<JsonElement> call = client.CallAsync("Slow");
        await arrived.Task.Within();
        await session.Connection.CloseAsync(new OcppCloseOptions { Force = true });

        await FluentActions.Awaiting(() => call).Should().ThrowAsync<OcppConnectionClosedException>();
        await csms.NextSessionAsync();
        await Task.Delay(200);
        received.Should().Be(1, "a call that may have been processed is never sent twice");
    }

    [Fact]
    public async Task Connected_is_raised_before_the_new_connection_reads_so_its_events_can_be_observed()
    {
        await using TestCsms csms = await TestCsms.StartAsync();
        await using var client = new OcppClient(Clients.For(csms.Endpoint));
        client.Handle("TriggerMessage", _ => new(OcppReply.Empty));
        var seen = new ConcurrentQueue<string>();
        client.Connected += (_, e) => e.Connection.CallReceived += (_, call) => seen.Enqueue($"{(e.IsReconnect ? 2 : 1)}:{call.Action}");
        await client.ConnectAsync();
        Session first = await csms.NextSessionAsync();
        await first.Connection.CallAsync("TriggerMessage").Within();
        await first.Connection.CloseAsync();

        Session second = await csms.NextSessionAsync();
        await second.Connection.CallAsync("TriggerMessage").Within();

        seen.Should().Equal("1:TriggerMessage", "2:TriggerMessage");
    }
    [Fact]
    public async Task A_send_made_while_reconnecting_is_queued_too()
    {
        await using TestCsms csms = await TestCsms.StartAsync();
        var received = new TaskCompletionSource<string>();
        csms.Handlers.Handle("NotifyPeriodicEventStream", context =>
        {
            received.TrySetResult(context.PayloadElement.GetRawText());
            return new(OcppReply.NoReply);
        });
        await using var client = new OcppClient(Clients.For(csms.Endpoint, "CP-21", OcppProtocols.Ocpp21) with { Reconnect = Clients.FastReconnect with { WaitMinimum = TimeSpan.FromMilliseconds(200) } });
        await client.ConnectAsync();
        await csms.NextSessionAsync();
        await csms.StopAsync();
        await Wait.UntilAsync(() => client.State == OcppClientState.Reconnecting, "the client noticed the loss");

        Task send = client.SendAsync(new PeriodicEvent { Id = 9 });
        send.IsCompleted.Should().BeFalse();
        await csms.RestartAsync();

        await send.Within();
        (await received.Task.Within()).Should().Be("""{"id":9}""");
    }
}

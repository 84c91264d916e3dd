using System.Text.Json;
using Ocpp.Rpc.Tests.Support;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.Tests;

public class CloseTests
{
    [Fact]
    public async Task Close_sends_code_and_reason_and_both_sides_see_it()
    {
        await using var pair = ConnectedPair.Create();
        OcppClosedEventArgs? seenByCsms = null;
        pair.Csms.Closed += (_, e) => seenByCsms = e;
        OcppClosedEventArgs local = await pair.Station.CloseAsync(new OcppCloseOptions { Code = 4000, Reason = "bye" });
        local.Should().Be(new OcppClosedEventArgs(4000, "bye", false));
        OcppClosedEventArgs remote = await pair.Csms.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        remote.Should().Be(new OcppClosedEventArgs(4000, "bye", true));
        seenByCsms.Should().Be(remote);
        pair.Station.State.Should().Be(OcppConnectionState.Closed);
        pair.Csms.State.Should().Be(OcppConnectionState.Closed);
    }

    [Fact]
    public async Task Closed_is_raised_once_and_close_is_idempotent()
    {
        await using var pair = ConnectedPair.Create();
        int count = 0;
        pair.Station.Closed += (_, _) => Interlocked.Increment(ref count);
        Task<OcppClosedEventArgs> a = pair.Station.CloseAsync();
        Task<OcppClosedEventArgs> b = pair.Station.CloseAsync(new OcppCloseOptions { Code = 1001 });
        (await a).Should().Be(await b);
        await pair.Station.CloseAsync();
        count.Should().Be(1);
    }

    [Fact]
    public async Task Await_pending_lets_in_flight_calls_finish_and_refuses_new_ones()
    {
        var release = new TaskCompletionSource();
        await using var pair = ConnectedPair.Create(setup: (_, csms) => csms.Handle("Slow", async _ => { await release.Task; return OcppPayload.FromJson("""{"done":true}"""); }));
        Task<JsonElement> inFlight = pair.Station.CallAsync("Slow");
        await Task.Delay(50);
        Task<OcppClosedEventArgs> closing = pair.Station.CloseAsync();
        pair.Station.State.Should().Be(OcppConnectionState.Closing);
        await pair.Station.Invoking(s => s.CallAsync("Slow")).Should().ThrowAsync<OcppConnectionClosedException>().WithMessage("*closing*");
        closing.IsCompleted.Should().BeFalse();
        release.SetResult();
        (await inFlight).GetProperty("done").GetBoolean().Should().BeTrue();
        (await closing.WaitAsync(TimeSpan.FromSeconds(5))).Code.Should().Be(1000);
    }

    [Fact]
    public async Task Await_pending_waits_for_inbound_handlers_to_reply()
    {
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        await using var pair = ConnectedPair.Create(setup: (_, csms) => csms.Handle("Slow", async _ => { started.SetResult(); await release.Task; return OcppReply.Empty; }));
        Task<JsonElement> call = pair.Station.CallAsync("Slow");
        await started.Task;
        Task<OcppClosedEventArgs> closing = pair.Csms.CloseAsync();
        await Task.Delay(50);
        closing.IsCompleted.Should().BeFalse();
        release.SetResult();
        await call; // the station got its answer before the close
        await closing.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_graceful_close_overtaken_by_a_forced_close_and_dispose_ends_cleanly()
    {
        // What OcppServer.StopAsync does when its token fires: the graceful close waiting for a handler is cancelled,
        // a forced close is started, and whoever held the connection disposes it as soon as it has closed. The
        // graceful closer must finish without touching disposed state. The interleaving is timing-dependent: many rounds.
        for (int round = 0; round < 50; round++)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var never = new TaskCompletionSource();
            var pair = ConnectedPair.Create(setup: (_, csms) => csms.Handle("Slow", async _ => { started.TrySetResult(); await never.Task; return OcppReply.Empty; }));
            Task<JsonElement> call = pair.Station.CallAsync("Slow");
            await started.Task;
            using var stop = new CancellationTokenSource();
            using var graceful = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            Task<OcppClosedEventArgs> closing = pair.Csms.CloseAsync(new OcppCloseOptions { Code = OcppCloseCodes.GoingAway }, graceful.Token);
            Task disposed = pair.Csms.Completion.ContinueWith(_ => pair.Csms.DisposeAsync().AsTask(), TaskScheduler.Default).Unwrap();
            using (stop.Token.Register(() => _ = pair.Csms.CloseAsync(new OcppCloseOptions { Code = OcppCloseCodes.GoingAway, Force = true })))
            {
                await stop.CancelAsync();
            }

            await closing.WaitAsync(TimeSpan.FromSeconds(5)); // whatever code the forced close left, without throwing
            await disposed.WaitAsync(TimeSpan.FromSeconds(5));
            await call.Invoking(c => c).Should().ThrowAsync<OcppConnectionClosedException>();
            await pair.DisposeAsync();
        }
    }

    [Fact]
    public async Task Inbound_calls_during_a_graceful_close_are_refused()
    {
        var release = new TaskCompletionSource();
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp201, setup: c => c.Handle("Slow", async _ => { await release.Task; return OcppReply.Empty; }));
        Task<JsonElement> outbound = peer.Connection.CallAsync("Heartbeat");
        string id = (await peer.ReceiveJsonAsync())[1].GetString()!;
        Task closing = peer.Connection.CloseAsync();
        await peer.SendAsync("""[2,"late","Slow",{}]""");
        JsonElement refused = await peer.ReceiveJsonAsync();
        refused[1].GetString().Should().Be("late");
        refused[2].GetString().Should().Be("GenericError");
        await peer.SendAsync($$"""[3,"{{id}}",{}]""");
        await outbound;
        await peer.ExpectCloseAsync();
        await closing.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Without_await_pending_in_flight_calls_fail_at_once()
    {
        await using var peer = RawPeer.Create();
        Task<JsonElement> call = peer.Connection.CallAsync("Heartbeat");
        await peer.ReceiveAsync();
        Task<OcppClosedEventArgs> closing = peer.Connection.CloseAsync(new OcppCloseOptions { AwaitPending = false });
        await call.Invoking(c => c).Should().ThrowAsync<OcppConnectionClosedException>();
        await peer.ExpectCloseAsync();
        await closing;
    }

    [Fact]
    public async Task Force_drops_the_link_without_a_handshake()
    {
        await using var peer = RawPeer.Create();
        Task<JsonElement> call = peer.Connection.CallAsync("Heartbeat");
        await peer.ReceiveAsync();
        OcppClosedEventArgs closed = await peer.Connection.CloseAsync(new OcppCloseOptions { Force = true, Code = 1001 });
        closed.Code.Should().Be(1001);
        await call.Invoking(c => c).Should().ThrowAsync<OcppConnectionClosedException>();
        await peer.Invoking(p => p.ReceiveAnyAsync(1000)).Should().ThrowAsync<IOException>();
    }

    [Fact]
    public async Task A_peer_that_never_answers_the_close_is_dropped_after_the_close_timeout()
    {
        await using var peer = RawPeer.Create(options: OcppConnectionOptions.Default with { CloseTimeout = TimeSpan.FromMilliseconds(200) });
        var started = DateTime.UtcNow;
        OcppClosedEventArgs closed = await peer.Connection.CloseAsync();
        closed.Code.Should().Be(1000);
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task The_peer_s_close_is_echoed_and_pending_calls_fail()
    {
        await using var peer = RawPeer.Create();
        Task<JsonElement> call = peer.Connection.CallAsync("Heartbeat");
        await peer.ReceiveAsync();
        await peer.CloseAsync(1001, "rebooting");
        (TransportReceiveResult echo, _) = await peer.ReceiveAnyAsync();
        echo.Kind.Should().Be(TransportMessageKind.Close);
        echo.CloseCode.Should().Be(1001);
        var ex = (await call.Invoking(c => c).Should().ThrowAsync<OcppConnectionClosedException>()).Which;
        ex.CloseCode.Should().Be(1001);
        (await peer.Connection.Completion).Should().Be(new OcppClosedEventArgs(1001, "rebooting", true));
    }

    [Fact]
    public async Task Dispose_closes_an_open_connection()
    {
        var pair = ConnectedPair.Create();
        await pair.Station.DisposeAsync();
        pair.Station.State.Should().Be(OcppConnectionState.Closed);
        (await pair.Csms.Completion.WaitAsync(TimeSpan.FromSeconds(5))).ClosedByPeer.Should().BeTrue();
        await pair.Csms.DisposeAsync();
    }
}

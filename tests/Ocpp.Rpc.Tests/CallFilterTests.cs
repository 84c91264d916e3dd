using System.Collections.Concurrent;
using System.Text.Json;
using Ocpp.Rpc.Tests.Support;

namespace Ocpp.Rpc.Tests;

// IOcppCallFilter: order, short-circuits, the context a filter sees, failures, and filters per connection.
public class CallFilterTests
{
    private static ValueTask<OcppReply> Reply(string json) => new(OcppPayload.FromJson(json));

    private sealed class Recording(string name, ConcurrentQueue<string> log) : IOcppCallFilter
    {
        public async ValueTask<OcppReply> InvokeAsync(OcppCallContext context, OcppCallHandler next)
        {
            log.Enqueue(name + ">");
            OcppReply reply = await next(context);
            log.Enqueue("<" + name);
            return reply;
        }
    }

    private sealed class Delegating(Func<OcppCallContext, OcppCallHandler, ValueTask<OcppReply>> invoke) : IOcppCallFilter
    {
        public ValueTask<OcppReply> InvokeAsync(OcppCallContext context, OcppCallHandler next) => invoke(context, next);
    }

    [Fact]
    public async Task Filters_run_in_order_around_the_handler_server_wide_first_then_per_connection()
    {
        var log = new ConcurrentQueue<string>();
        var options = OcppConnectionOptions.Default with { CallFilters = [new Recording("a", log), new Recording("b", log)] };
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp16, options, c =>
        {
            c.AddCallFilter(new Recording("c", log));
            c.Handle("Heartbeat", _ =>
            {
                log.Enqueue("handler");
                return Reply("""{"currentTime":"2025-01-01T00:00:00Z"}""");
            });
        });

        await peer.SendAsync("""[2,"1","Heartbeat",{}]""");
        JsonElement reply = await peer.ReceiveJsonAsync();

        reply[0].GetInt32().Should().Be(3);
        log.Should().Equal("a>", "b>", "c>", "handler", "<c", "<b", "<a");
    }

    [Fact]
    public async Task A_filter_sees_identity_protocol_action_message_id_and_payload()
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var filter = new Delegating((ctx, next) =>
        {
            seen.TrySetResult($"{ctx.Identity}|{ctx.Protocol}|{ctx.Action}|{ctx.MessageId}|{ctx.MessageType}|{ctx.PayloadElement.GetProperty("reason").GetString()}");
            return next(ctx);
        });
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp201, OcppConnectionOptions.Default with { CallFilters = [filter] },
            c => c.Handle("BootNotification", _ => Reply("{}")));

        await peer.SendAsync("""[2,"m-7","BootNotification",{"reason":"PowerUp"}]""");
        await peer.ReceiveJsonAsync();

        (await seen.Task.WaitAsync(TimeSpan.FromSeconds(5))).Should().Be("CP-TEST|ocpp2.0.1|BootNotification|m-7|Call|PowerUp");
    }

    [Fact]
    public async Task A_filter_short_circuits_with_a_result_or_a_CALLERROR_and_the_handler_does_not_run()
    {
        int handled = 0;
        var gate = new Delegating((ctx, next) => ctx.Action switch
        {
            "Heartbeat" => Reply("""{"currentTime":"2000-01-01T00:00:00Z"}"""),
            "Authorize" => throw new OcppSecurityErrorException("Not accepted yet."),
            _ => next(ctx),
        });
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp16, OcppConnectionOptions.Default with { CallFilters = [gate] }, c =>
        {
            c.HandleAny(_ =>
            {
                Interlocked.Increment(ref handled);
                return Reply("{}");
            });
        });

        await peer.SendAsync("""[2,"1","Heartbeat",{}]""");
        JsonElement result = await peer.ReceiveJsonAsync();
        await peer.SendAsync("""[2,"2","Authorize",{"idTag":"x"}]""");
        JsonElement error = await peer.ReceiveJsonAsync();
        await peer.SendAsync("""[2,"3","StatusNotification",{}]""");
        JsonElement passed = await peer.ReceiveJsonAsync();

        result[2].GetProperty("currentTime").GetString().Should().Be("2000-01-01T00:00:00Z");
        error[0].GetInt32().Should().Be(4);
        error[2].GetString().Should().Be("SecurityError");
        error[3].GetString().Should().Be("Not accepted yet.");
        passed[0].GetInt32().Should().Be(3);
        handled.Should().Be(1);
    }

    [Fact]
    public async Task A_filter_that_throws_becomes_InternalError_and_the_connection_stays_open()
    {
        var broken = new Delegating((_, _) => throw new InvalidOperationException("filter bug"));
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp201, OcppConnectionOptions.Default with { CallFilters = [broken] },
            c => c.Handle("Heartbeat", _ => Reply("{}")));

        await peer.SendAsync("""[2,"1","Heartbeat",{}]""");
        JsonElement error = await peer.ReceiveJsonAsync();

        error[0].GetInt32().Should().Be(4);
        error[2].GetString().Should().Be("InternalError");
        error[3].GetString().Should().NotContain("filter bug", "details go to the peer only with DetailedErrors");
        peer.Connection.State.Should().Be(OcppConnectionState.Open);
    }

    [Fact]
    public async Task Filters_see_unknown_actions_whose_next_answers_NotImplemented()
    {
        var actions = new ConcurrentQueue<string>();
        var filter = new Delegating((ctx, next) =>
        {
            actions.Enqueue(ctx.Action);
            return next(ctx);
        });
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp16, OcppConnectionOptions.Default with { CallFilters = [filter] });

        await peer.SendAsync("""[2,"1","Nonexistent",{}]""");
        JsonElement error = await peer.ReceiveJsonAsync();

        error[2].GetString().Should().Be("NotImplemented");
        error[3].GetString().Should().Contain("Nonexistent");
        actions.Should().Equal("Nonexistent");
    }

    [Fact]
    public async Task Without_filters_an_unknown_action_still_gets_NotImplemented()
    {
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp16);
        await peer.SendAsync("""[2,"1","Nonexistent",{}]""");
        (await peer.ReceiveJsonAsync())[2].GetString().Should().Be("NotImplemented");
    }

    [Fact]
    public async Task Filters_of_one_options_instance_are_shared_by_connections_but_a_connection_filter_stays_its_own()
    {
        var log = new ConcurrentQueue<string>();
        var options = OcppConnectionOptions.Default with { CallFilters = [new Recording("shared", log)] };
        await using var first = RawPeer.Create(OcppProtocols.Ocpp16, options, c =>
        {
            c.AddCallFilter(new Recording("own", log));
            c.Handle("Heartbeat", _ => Reply("{}"));
        });
        await using var second = RawPeer.Create(OcppProtocols.Ocpp16, options, c => c.Handle("Heartbeat", _ => Reply("{}")));

        await second.SendAsync("""[2,"1","Heartbeat",{}]""");
        await second.ReceiveJsonAsync();
        log.Should().Equal("shared>", "<shared");
        await first.SendAsync("""[2,"1","Heartbeat",{}]""");
        await first.ReceiveJsonAsync();
        log.Should().Equal("shared>", "<shared", "shared>", "own>", "<own", "<shared");
    }

    [Fact]
    public async Task A_with_copy_that_replaces_the_filters_does_not_keep_the_old_ones()
    {
        var log = new ConcurrentQueue<string>();
        var withFilter = OcppConnectionOptions.Default with { CallFilters = [new Recording("old", log)] };
        await using (var warm = RawPeer.Create(OcppProtocols.Ocpp16, withFilter, c => c.Handle("Heartbeat", _ => Reply("{}"))))
        {
            await warm.SendAsync("""[2,"1","Heartbeat",{}]""");
            await warm.ReceiveJsonAsync();
        }

        await using var peer = RawPeer.Create(OcppProtocols.Ocpp16, withFilter with { CallFilters = [] }, c => c.Handle("Heartbeat", _ => Reply("{}")));
        await peer.SendAsync("""[2,"2","Heartbeat",{}]""");
        await peer.ReceiveJsonAsync();

        log.Should().Equal("old>", "<old");
    }
}

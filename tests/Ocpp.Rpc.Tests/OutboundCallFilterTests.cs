using System.Collections.Concurrent;
using System.Text.Json;
using Ocpp.Rpc.Tests.Support;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.Tests;

// IOcppOutboundCallFilter: order, the context a filter sees, short-circuits (a result, an exception), typed results
// passing through untouched, SENDs, and filters added per connection.
public class OutboundCallFilterTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset Time = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed class Recording(string name, ConcurrentQueue<string> log) : IOcppOutboundCallFilter
    {
        public async ValueTask<OcppCallResult> InvokeAsync(OcppOutboundCallContext context, OcppOutboundCallHandler next)
        {
            log.Enqueue(name + ">" + context.Action);
            OcppCallResult result = await next(context);
            log.Enqueue("<" + name);
            return result;
        }
    }

    private sealed class Delegating(Func<OcppOutboundCallContext, OcppOutboundCallHandler, ValueTask<OcppCallResult>> invoke) : IOcppOutboundCallFilter
    {
        public ValueTask<OcppCallResult> InvokeAsync(OcppOutboundCallContext context, OcppOutboundCallHandler next) => invoke(context, next);
    }

    private static ValueTask<OcppReply> Reply(string json) => new(OcppPayload.FromJson(json));

    [Fact]
    public async Task Filters_run_in_order_around_the_call_options_ones_first_then_per_connection()
    {
        var log = new ConcurrentQueue<string>();
        var csmsOptions = OcppConnectionOptions.Default with { OutboundCallFilters = [new Recording("a", log), new Recording("b", log)] };
        await using var pair = ConnectedPair.Create(csmsOptions: csmsOptions, setup: (station, csms) =>
        {
            csms.AddOutboundCallFilter(new Recording("c", log));
            station.Handle("Reset", _ =>
            {
                log.Enqueue("station");
                return Reply("""{"status":"Accepted"}""");
            });
        });

        JsonElement result = await pair.Csms.CallAsync("Reset", OcppPayload.FromJson("""{"type":"Soft"}"""));

        result.GetProperty("status").GetString().Should().Be("Accepted");
        log.Should().Equal("a>Reset", "b>Reset", "c>Reset", "station", "<c", "<b", "<a");
    }

    [Fact]
    public async Task A_filter_sees_identity_protocol_action_message_id_payload_and_options_and_the_id_is_the_one_sent()
    {
        var seen = new ConcurrentQueue<string>();
        var wire = new ConcurrentQueue<string>();
        var filter = new Delegating((ctx, next) =>
        {
            seen.Enqueue($"{ctx.Identity}|{ctx.Protocol}|{ctx.Action}|{ctx.MessageType}|{ctx.MessageId}|{ctx.PayloadElement.GetProperty("type").GetString()}|{ctx.Options?.Timeout}");
            return next(ctx);
        });
        await using var pair = ConnectedPair.Create(OcppProtocols.Ocpp201, csmsOptions: OcppConnectionOptions.Default with { OutboundCallFilters = [filter] },
            setup: (station, _) => station.Handle("Reset", ctx =>
            {
                wire.Enqueue(ctx.MessageId);
                return Reply("""{"status":"Accepted"}""");
            }));

        await pair.Csms.CallAsync("Reset", OcppPayload.FromJson("""{"type":"Immediate"}"""), new OcppCallOptions { MessageId = "r-1", Timeout = TimeSpan.FromSeconds(7) });
        await pair.Csms.CallAsync("Reset", OcppPayload.FromJson("""{"type":"OnIdle"}"""));

        string[] calls = [.. seen];
        calls[0].Should().Be("CP-1|ocpp2.0.1|Reset|Call|r-1|Immediate|00:00:07");
        calls[1].Should().StartWith("CP-1|ocpp2.0.1|Reset|Call|").And.EndWith("|OnIdle|");
        string generated = calls[1].Split('|')[4];
        generated.Should().NotBeNullOrEmpty();
        wire.Should().Equal("r-1", generated);
    }

    [Fact]
    public async Task A_filter_short_circuits_with_a_result_or_an_exception_and_nothing_is_sent()
    {
        int received = 0;
        var gate = new Delegating((ctx, next) => ctx.Action switch
        {
            "GetConfiguration" => new ValueTask<OcppCallResult>(JsonElement.Parse("""{"configurationKey":[]}""")),
            "Reset" => throw new OcppSecurityErrorException("The station is not accepted."),
            _ => next(ctx),
        });
        await using var pair = ConnectedPair.Create(csmsOptions: OcppConnectionOptions.Default with { OutboundCallFilters = [gate] },
            setup: (station, _) => station.HandleAny(_ =>
            {
                Interlocked.Increment(ref received);
                return Reply("{}");
            }));

        JsonElement cached = await pair.Csms.CallAsync("GetConfiguration");
        cached.GetProperty("configurationKey").GetArrayLength().Should().Be(0);
        (await FluentActions.Awaiting(() => pair.Csms.CallAsync("Reset")).Should().ThrowAsync<OcppSecurityErrorException>())
            .Which.Description.Should().Be("The station is not accepted.");

        await pair.Csms.CallAsync("ClearCache"); // Goes through: the station has seen exactly this one.
        received.Should().Be(1);
    }

    [Fact]
    public async Task A_typed_call_gets_its_typed_response_through_the_filters_or_a_short_circuit_result_converted()
    {
        var results = new ConcurrentQueue<string>();
        bool shortCircuit = false;
        var filter = new Delegating(async (ctx, next) =>
        {
            if (shortCircuit)
            {
                return JsonElement.Parse("""{"status":"Pending","interval":99,"currentTime":"2025-01-01T00:00:00Z"}""");
            }

            OcppCallResult result = await next(ctx);
            results.Enqueue(result.ToElement().GetProperty("status").GetString()!);
            return result;
        });
        await using var pair = ConnectedPair.Create(stationOptions: OcppConnectionOptions.Default with { OutboundCallFilters = [filter] },
            setup: (_, csms) => csms.Handle("BootNotification", _ => Reply("""{"status":"Accepted","interval":300,"currentTime":"2025-01-01T00:00:00Z"}""")));

        TestBootResponse answered = await pair.Station.CallAsync(new TestBootRequest { Vendor = "Acme", Model = "X1" });
        shortCircuit = true;
        TestBootResponse made = await pair.Station.CallAsync(new TestBootRequest { Vendor = "Acme", Model = "X1" });

        answered.Should().Be(new TestBootResponse { Status = "Accepted", Interval = 300, CurrentTime = Time });
        results.Should().Equal("Accepted");
        made.Should().Be(new TestBootResponse { Status = "Pending", Interval = 99, CurrentTime = Time });
    }

    [Fact]
    public async Task A_typed_result_made_by_a_filter_reaches_the_caller_as_the_same_instance()
    {
        var response = new TestBootResponse { Status = "Accepted", Interval = 1, CurrentTime = Time };
        var filter = new Delegating((_, _) => new ValueTask<OcppCallResult>(OcppCallResult.From(response, TestJsonContext.Default.TestBootResponse)));
        await using var pair = ConnectedPair.Create(stationOptions: OcppConnectionOptions.Default with { OutboundCallFilters = [filter] });

        TestBootResponse typed = await pair.Station.CallAsync(new TestBootRequest { Vendor = "Acme", Model = "X1" });
        JsonElement raw = await pair.Station.CallAsync("BootNotification");

        typed.Should().BeSameAs(response);
        raw.GetProperty("status").GetString().Should().Be("Accepted");
    }

    [Fact]
    public async Task SENDs_pass_through_the_filters_and_a_filter_can_drop_one()
    {
        var seen = new ConcurrentQueue<string>();
        var received = new ConcurrentQueue<string>();
        var filter = new Delegating(async (ctx, next) =>
        {
            seen.Enqueue($"{ctx.MessageType}|{ctx.Action}|{ctx.PayloadElement.GetProperty("n").GetInt32()}");
            if (ctx.PayloadElement.GetProperty("n").GetInt32() == 2)
            {
                return OcppCallResult.None;
            }

            return await next(ctx);
        });
        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pair = ConnectedPair.Create(OcppProtocols.Ocpp21, stationOptions: OcppConnectionOptions.Default with { OutboundCallFilters = [filter] },
            setup: (_, csms) => csms.Handle("NotifyPeriodicEventStream", ctx =>
            {
                received.Enqueue(ctx.PayloadElement.GetProperty("n").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (received.Count == 2)
                {
                    delivered.TrySetResult();
                }

                return new ValueTask<OcppReply>(OcppReply.NoReply);
            }));

        for (int n = 1; n <= 3; n++)
        {
            await pair.Station.SendAsync("NotifyPeriodicEventStream", OcppPayload.FromJson($$"""{"n":{{n}}}"""));
        }

        await delivered.Task.WaitAsync(Wait);
        seen.Should().Equal("Send|NotifyPeriodicEventStream|1", "Send|NotifyPeriodicEventStream|2", "Send|NotifyPeriodicEventStream|3");
        received.Should().Equal("1", "3");
    }

    [Fact]
    public async Task A_filter_added_to_one_connection_leaves_others_made_with_the_same_options_alone()
    {
        var log = new ConcurrentQueue<string>();
        var options = OcppConnectionOptions.Default with { OutboundCallFilters = [new Recording("shared", log)] };
        await using var first = ConnectedPair.Create(csmsOptions: options, setup: (station, csms) =>
        {
            csms.AddOutboundCallFilter(new Recording("own", log));
            station.HandleAny(_ => Reply("{}"));
        });
        await using var second = ConnectedPair.Create(csmsOptions: options, setup: (station, _) => station.HandleAny(_ => Reply("{}")));

        await first.Csms.CallAsync("ClearCache");
        await second.Csms.CallAsync("ClearCache");

        log.Should().Equal("shared>ClearCache", "own>ClearCache", "<own", "<shared", "shared>ClearCache", "<shared");
    }

    [Fact]
    public async Task A_null_filter_is_refused()
    {
        await using var pair = ConnectedPair.Create();
        FluentActions.Invoking(() => pair.Csms.AddOutboundCallFilter(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => new OcppConnection(InMemoryTransport.CreatePair(OcppProtocols.Ocpp16).Item1, OcppConnectionOptions.Default with { OutboundCallFilters = [null!] }))
            .Should().Throw<ArgumentNullException>();
    }
}

using System.Text.Json;
using Ocpp.Rpc.Tests.Support;

namespace Ocpp.Rpc.Tests;

public class HandlerTests
{
    private static ValueTask<OcppReply> Reply(string json) => new(OcppPayload.FromJson(json));

    [Fact]
    public async Task Version_specific_beats_generic_beats_wildcard()
    {
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp201, setup: c =>
        {
            c.Handle(OcppProtocols.Ocpp201, "A", _ => Reply("""{"by":"specific"}"""));
            c.Handle(OcppProtocols.Ocpp16, "B", _ => Reply("""{"by":"other-version"}"""));
            c.Handle("A", _ => Reply("""{"by":"generic"}"""));
            c.Handle("B", _ => Reply("""{"by":"generic"}"""));
            c.HandleAny(ctx => Reply($$"""{"by":"wildcard","action":"{{ctx.Action}}"}"""));
        });
        await peer.SendAsync("""[2,"1","A",{}]""");
        (await peer.ReceiveJsonAsync())[2].GetProperty("by").GetString().Should().Be("specific");
        await peer.SendAsync("""[2,"2","B",{}]""");
        (await peer.ReceiveJsonAsync())[2].GetProperty("by").GetString().Should().Be("generic");
        await peer.SendAsync("""[2,"3","C",{}]""");
        JsonElement wildcard = (await peer.ReceiveJsonAsync())[2];
        wildcard.GetProperty("by").GetString().Should().Be("wildcard");
        wildcard.GetProperty("action").GetString().Should().Be("C");
    }

    [Fact]
    public async Task Connection_handlers_come_before_shared_ones()
    {
        var shared = new OcppHandlerRegistry();
        shared.Handle("A", _ => Reply("""{"by":"shared"}"""));
        shared.Handle("B", _ => Reply("""{"by":"shared"}"""));
        (var a, var b) = Transport.InMemoryTransport.CreatePair();
        await using var conn = new OcppConnection(a, sharedHandlers: shared);
        conn.Handle("A", _ => Reply("""{"by":"own"}"""));
        await using var caller = new OcppConnection(b);
        conn.Start();
        caller.Start();
        (await caller.CallAsync("A")).GetProperty("by").GetString().Should().Be("own");
        (await caller.CallAsync("B")).GetProperty("by").GetString().Should().Be("shared");
    }

    [Fact]
    public async Task Actions_are_case_sensitive_and_unknown_ones_get_NotImplemented()
    {
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp16, setup: c => c.Handle("Heartbeat", _ => Reply("{}")));
        await peer.SendAsync("""[2,"1","heartbeat",{}]""");
        JsonElement reply = await peer.ReceiveJsonAsync();
        reply[0].GetInt32().Should().Be(4);
        reply[1].GetString().Should().Be("1");
        reply[2].GetString().Should().Be("NotImplemented");
        reply[3].GetString().Should().Contain("heartbeat");
        reply[4].GetRawText().Should().Be("{}");
    }

    [Fact]
    public async Task Unregistered_handlers_stop_answering()
    {
        await using var peer = RawPeer.Create(setup: c => c.Handle("A", _ => Reply("{}")));
        peer.Connection.Unregister(null, "A").Should().BeTrue();
        await peer.SendAsync("""[2,"1","A",{}]""");
        (await peer.ReceiveJsonAsync())[2].GetString().Should().Be("NotImplemented");
    }

    [Fact]
    public async Task Context_carries_the_call()
    {
        var seen = new TaskCompletionSource<(string?, string?, string, string, string, bool)>();
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp201, setup: c => c.Handle("DataTransfer", ctx =>
        {
            seen.SetResult((ctx.Protocol, ctx.Identity, ctx.Action, ctx.MessageId, ctx.PayloadElement.GetProperty("vendorId").GetString()!, ctx.CancellationToken.CanBeCanceled));
            return Reply("""{"status":"Accepted"}""");
        }));
        await peer.SendAsync("""[2,"m-1","DataTransfer",{"vendorId":"acme"}]""");
        await peer.ReceiveAsync();
        (await seen.Task).Should().Be((OcppProtocols.Ocpp201, "CP-TEST", "DataTransfer", "m-1", "acme", true));
    }

    [Fact]
    public async Task Null_payload_reads_as_an_empty_object()
    {
        await using var peer = RawPeer.Create(setup: c => c.Handle<TestBootRequest, TestBootResponse>((r, _) => new TestBootResponse { Status = "x", Interval = 1, CurrentTime = default }));
        await peer.SendAsync("""[2,"1","BootNotification",null]""");
        JsonElement reply = await peer.ReceiveJsonAsync();
        reply[2].GetString().Should().Be("FormationViolation", "the typed request has required properties");
    }

    [Fact]
    public async Task NoReply_sends_nothing()
    {
        await using var peer = RawPeer.Create(setup: c => c.Handle("A", _ => new ValueTask<OcppReply>(OcppReply.NoReply)));
        await peer.SendAsync("""[2,"1","A",{}]""");
        await peer.ExpectSilenceAsync();
    }

    [Theory]
    [InlineData(OcppProtocols.Ocpp16, "FormationViolation")]
    [InlineData(OcppProtocols.Ocpp201, "FormatViolation")]
    [InlineData(OcppProtocols.Ocpp21, "FormatViolation")]
    public async Task Thrown_rpc_errors_are_spelled_for_the_version(string protocol, string wire)
    {
        await using var peer = RawPeer.Create(protocol, setup: c => c.Handle("A", _ => throw new OcppFormatViolationException("bad", JsonElement.Parse("""{"at":"x"}"""))));
        await peer.SendAsync("""[2,"1","A",{}]""");
        JsonElement reply = await peer.ReceiveJsonAsync();
        reply[2].GetString().Should().Be(wire);
        reply[3].GetString().Should().Be("bad");
        reply[4].GetProperty("at").GetString().Should().Be("x");
    }

    [Fact]
    public async Task Unexpected_exceptions_become_InternalError_without_details_by_default()
    {
        await using var peer = RawPeer.Create(setup: c => c.Handle("A", async _ => { await Task.Yield(); throw new InvalidOperationException("secret db password"); }));
        await peer.SendAsync("""[2,"1","A",{}]""");
        JsonElement reply = await peer.ReceiveJsonAsync();
        reply[2].GetString().Should().Be("InternalError");
        reply[3].GetString().Should().NotContain("secret");
    }

    [Fact]
    public async Task Detailed_errors_describe_the_exception()
    {
        await using var peer = RawPeer.Create(options: OcppConnectionOptions.Default with { DetailedErrors = true }, setup: c => c.Handle("A", _ => throw new InvalidOperationException("boom")));
        await peer.SendAsync("""[2,"1","A",{}]""");
        (await peer.ReceiveJsonAsync())[3].GetString().Should().Be("InvalidOperationException: boom");
    }

    [Fact]
    public async Task Typed_handler_answers_and_bad_payloads_get_FormatViolation()
    {
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp16, setup: c =>
            c.Handle<TestBootRequest, TestBootResponse>(async (req, ctx) =>
            {
                await Task.Yield();
                return new TestBootResponse { Status = "Accepted", Interval = 60, CurrentTime = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero) };
            }));
        await peer.SendAsync("""[2,"1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]""");
        JsonElement ok = await peer.ReceiveJsonAsync();
        ok[0].GetInt32().Should().Be(3);
        ok[2].GetProperty("status").GetString().Should().Be("Accepted");
        await peer.SendAsync("""[2,"2","BootNotification",{"chargePointVendor":5,"chargePointModel":"M"}]""");
        (await peer.ReceiveJsonAsync())[2].GetString().Should().Be("FormationViolation");
    }

    [Fact]
    public async Task Typed_handlers_only_answer_their_own_protocol()
    {
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp201, setup: c =>
            c.Handle<TestBootRequest, TestBootResponse>((_, _) => new TestBootResponse { Status = "Accepted", Interval = 1, CurrentTime = default }));
        await peer.SendAsync("""[2,"1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]""");
        (await peer.ReceiveJsonAsync())[2].GetString().Should().Be("NotImplemented");
    }

    [Theory]
    [InlineData(OcppProtocols.Ocpp16, "ProtocolError")]
    [InlineData(OcppProtocols.Ocpp201, "RpcFrameworkError")]
    public async Task A_duplicate_id_still_in_flight_gets_an_error_and_the_first_call_still_completes(string protocol, string wire)
    {
        var release = new TaskCompletionSource();
        await using var peer = RawPeer.Create(protocol, setup: c => c.Handle("Slow", async _ => { await release.Task; return OcppReply.Empty; }));
        await peer.SendAsync("""[2,"dup","Slow",{}]""");
        await peer.SendAsync("""[2,"dup","Slow",{}]""");
        JsonElement error = await peer.ReceiveJsonAsync();
        error[0].GetInt32().Should().Be(4);
        error[1].GetString().Should().Be("dup");
        error[2].GetString().Should().Be(wire);
        release.SetResult();
        JsonElement result = await peer.ReceiveJsonAsync();
        result[0].GetInt32().Should().Be(3);
        await peer.SendAsync("""[2,"dup","Slow",{}]"""); // the id is free again: retries may reuse it
        (await peer.ReceiveJsonAsync())[0].GetInt32().Should().Be(3);
    }

    [Fact]
    public async Task Handlers_are_cancelled_when_the_connection_drops()
    {
        var cancelled = new TaskCompletionSource();
        await using var peer = RawPeer.Create(setup: c => c.Handle("Slow", async ctx =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                cancelled.SetResult();
                throw;
            }

            return OcppReply.Empty;
        }));
        await peer.SendAsync("""[2,"1","Slow",{}]""");
        await Task.Delay(50);
        peer.Abort();
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Handler_concurrency_is_bounded()
    {
        int running = 0, peak = 0;
        await using var peer = RawPeer.Create(options: OcppConnectionOptions.Default with { MaxConcurrentHandlers = 2 }, setup: c => c.Handle("Work", async _ =>
        {
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await Task.Delay(30);
            Interlocked.Decrement(ref running);
            return OcppReply.Empty;
        }));
        for (int i = 0; i < 8; i++)
        {
            await peer.SendAsync($$"""[2,"{{i}}","Work",{}]""");
        }

        for (int i = 0; i < 8; i++)
        {
            (await peer.ReceiveJsonAsync())[0].GetInt32().Should().Be(3);
        }

        peak.Should().Be(2);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

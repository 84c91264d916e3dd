using System.Text.Json;
using Ocpp.Rpc.Tests.Support;

namespace Ocpp.Rpc.Tests;

public class CallTests
{
    [Fact]
    public async Task Raw_call_returns_the_result_payload()
    {
        await using var pair = ConnectedPair.Create(setup: (_, csms) =>
            csms.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppPayload.FromJson("""{"currentTime":"2025-01-01T00:00:00Z"}"""))));
        JsonElement result = await pair.Station.CallAsync("Heartbeat");
        result.GetProperty("currentTime").GetString().Should().Be("2025-01-01T00:00:00Z");
    }

    [Fact]
    public async Task Typed_call_infers_the_response_type()
    {
        await using var pair = ConnectedPair.Create(setup: (_, csms) =>
            csms.Handle<TestBootRequest, TestBootResponse>((req, ctx) => new TestBootResponse { Status = req.Vendor == "V" ? "Accepted" : "Rejected", Interval = 300, CurrentTime = DateTimeOffset.UnixEpoch }));
        TestBootResponse response = await pair.Station.CallAsync(new TestBootRequest { Vendor = "V", Model = "M" });
        response.Status.Should().Be("Accepted");
        response.Interval.Should().Be(300);
    }

    [Fact]
    public async Task Typed_call_of_another_protocol_is_refused()
    {
        await using var pair = ConnectedPair.Create(OcppProtocols.Ocpp201);
        Func<Task> act = () => pair.Station.CallAsync(new TestBootRequest { Vendor = "V", Model = "M" });
        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*ocpp1.6*ocpp2.0.1*");
    }

    [Fact]
    public async Task A_raw_call_written_for_another_protocol_is_refused_before_sending()
    {
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp201);
        await peer.Connection.Invoking(c => c.CallAsync("Reset", OcppPayload.FromJson("""{"type":"Soft"}"""), new OcppCallOptions { Protocol = OcppProtocols.Ocpp16 }))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*ocpp1.6*ocpp2.0.1*");
        await peer.ExpectSilenceAsync();
    }

    [Fact]
    public async Task Call_error_becomes_the_typed_exception_with_code_description_and_details()
    {
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp16);
        Task<JsonElement> call = peer.Connection.CallAsync("Reset", OcppPayload.FromJson("""{"type":"Hard"}"""));
        JsonElement sent = await peer.ReceiveJsonAsync();
        await peer.SendAsync($$"""[4,"{{sent[1].GetString()}}","OccurenceConstraintViolation","missing type",{"field":"type"}]""");
        var ex = (await call.Invoking(c => c).Should().ThrowAsync<OcppOccurrenceConstraintViolationException>()).Which;
        ex.Code.Should().Be(OcppErrorCode.OccurrenceConstraintViolation);
        ex.WireCode.Should().Be("OccurenceConstraintViolation");
        ex.Description.Should().Be("missing type");
        ex.Details!.Value.GetProperty("field").GetString().Should().Be("type");
    }

    [Fact]
    public async Task Unknown_error_codes_are_kept_verbatim()
    {
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp201);
        Task<JsonElement> call = peer.Connection.CallAsync("Reset");
        JsonElement sent = await peer.ReceiveJsonAsync();
        await peer.SendAsync($$"""[4,"{{sent[1].GetString()}}","VendorBoom","",{}]""");
        var ex = (await call.Invoking(c => c).Should().ThrowAsync<OcppRpcException>()).Which;
        ex.Code.Should().Be(OcppErrorCode.Unknown);
        ex.WireCode.Should().Be("VendorBoom");
    }

    [Fact]
    public async Task Call_frame_is_well_formed_with_a_unique_id_of_at_most_36_characters()
    {
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp16);
        var ids = new HashSet<string>();
        for (int i = 0; i < 20; i++)
        {
            Task<JsonElement> call = peer.Connection.CallAsync("Heartbeat");
            JsonElement sent = await peer.ReceiveJsonAsync();
            sent.GetArrayLength().Should().Be(4);
            sent[0].GetInt32().Should().Be(2);
            sent[2].GetString().Should().Be("Heartbeat");
            sent[3].GetRawText().Should().Be("{}");
            string id = sent[1].GetString()!;
            id.Length.Should().BeLessThanOrEqualTo(36);
            ids.Add(id).Should().BeTrue();
            await peer.SendAsync($$"""[3,"{{id}}",{}]""");
            await call;
        }
    }

    [Fact]
    public async Task Custom_message_id_is_used_and_checked()
    {
        await using var peer = RawPeer.Create();
        Task<JsonElement> call = peer.Connection.CallAsync("Heartbeat", default, new OcppCallOptions { MessageId = "retry-7" });
        (await peer.ReceiveJsonAsync())[1].GetString().Should().Be("retry-7");
        await peer.SendAsync("""[3,"retry-7",{}]""");
        await call;
        Func<Task> tooLong = () => peer.Connection.CallAsync("Heartbeat", default, new OcppCallOptions { MessageId = new string('x', 37) });
        await tooLong.Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task Call_times_out_with_the_default_and_the_per_call_timeout()
    {
        await using var peer = RawPeer.Create(options: OcppConnectionOptions.Default with { CallTimeout = TimeSpan.FromMilliseconds(100) });
        var ex = (await peer.Connection.Invoking(c => c.CallAsync("Heartbeat")).Should().ThrowAsync<OcppCallTimeoutException>()).Which;
        ex.Action.Should().Be("Heartbeat");
        ex.Timeout.Should().Be(TimeSpan.FromMilliseconds(100));
        var ex2 = (await peer.Connection.Invoking(c => c.CallAsync("Heartbeat", default, new OcppCallOptions { Timeout = TimeSpan.FromMilliseconds(30) })).Should().ThrowAsync<OcppCallTimeoutException>()).Which;
        ex2.Timeout.Should().Be(TimeSpan.FromMilliseconds(30));
    }

    [Fact]
    public async Task Late_result_after_timeout_raises_unmatched_response_and_no_reply()
    {
        await using var peer = RawPeer.Create(options: OcppConnectionOptions.Default with { CallTimeout = TimeSpan.FromMilliseconds(50) });
        var unmatched = new TaskCompletionSource<OcppUnmatchedResponseEventArgs>();
        peer.Connection.UnmatchedResponse += (_, e) => unmatched.TrySetResult(e);
        Task<JsonElement> call = peer.Connection.CallAsync("Heartbeat");
        string id = (await peer.ReceiveJsonAsync())[1].GetString()!;
        await call.Invoking(c => c).Should().ThrowAsync<OcppCallTimeoutException>();
        await peer.SendAsync($$"""[3,"{{id}}",{"late":true}]""");
        OcppUnmatchedResponseEventArgs e = await unmatched.Task.WaitAsync(TimeSpan.FromSeconds(5));
        e.MessageId.Should().Be(id);
        e.Payload.Should().Contain("late");
        await peer.ExpectSilenceAsync();
    }

    [Fact]
    public async Task Cancellation_stops_waiting()
    {
        await using var peer = RawPeer.Create();
        using var cts = new CancellationTokenSource();
        Task<JsonElement> call = peer.Connection.CallAsync("Heartbeat", cancellationToken: cts.Token);
        await peer.ReceiveAsync();
        cts.Cancel();
        await call.Invoking(c => c).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Only_one_call_is_outstanding_by_default_and_the_rest_queue_in_order()
    {
        await using var peer = RawPeer.Create();
        Task<JsonElement>[] calls = [.. Enumerable.Range(0, 3).Select(i => peer.Connection.CallAsync("DataTransfer", OcppPayload.FromJson($$"""{"vendorId":"{{i}}"}""")))];
        for (int i = 0; i < 3; i++)
        {
            JsonElement sent = await peer.ReceiveJsonAsync();
            sent[3].GetProperty("vendorId").GetString().Should().Be(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await peer.ExpectSilenceAsync(100); // the next CALL waits for this answer
            await peer.SendAsync($$"""[3,"{{sent[1].GetString()}}",{"n":{{i}}}]""");
            (await calls[i]).GetProperty("n").GetInt32().Should().Be(i);
        }
    }

    [Fact]
    public async Task Concurrency_can_be_raised()
    {
        await using var peer = RawPeer.Create(options: OcppConnectionOptions.Default with { CallConcurrency = 3 });
        Task<JsonElement>[] calls = [.. Enumerable.Range(0, 3).Select(_ => peer.Connection.CallAsync("Heartbeat"))];
        var ids = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            ids.Add((await peer.ReceiveJsonAsync())[1].GetString()!);
        }

        foreach (string id in ids)
        {
            await peer.SendAsync($$"""[3,"{{id}}",{}]""");
        }

        await Task.WhenAll(calls);
    }

    [Fact]
    public async Task A_full_queue_refuses_calls_at_once()
    {
        await using var peer = RawPeer.Create(options: OcppConnectionOptions.Default with { MaxQueuedCalls = 2 });
        Task<JsonElement> first = peer.Connection.CallAsync("Heartbeat");
        await peer.ReceiveAsync();
        Task<JsonElement> queued1 = peer.Connection.CallAsync("Heartbeat");
        Task<JsonElement> queued2 = peer.Connection.CallAsync("Heartbeat");
        var ex = (await peer.Connection.Invoking(c => c.CallAsync("Heartbeat")).Should().ThrowAsync<OcppCallQueueFullException>()).Which;
        ex.Limit.Should().Be(2);
        queued1.IsCompleted.Should().BeFalse();
        queued2.IsCompleted.Should().BeFalse();
        await peer.Connection.CloseAsync(new OcppCloseOptions { Force = true });
        foreach (Task<JsonElement> call in new[] { first, queued1, queued2 })
        {
            await call.Invoking(c => c).Should().ThrowAsync<OcppConnectionClosedException>();
        }
    }

    [Fact]
    public async Task In_flight_and_queued_calls_fail_when_the_peer_disconnects()
    {
        await using var peer = RawPeer.Create();
        Task<JsonElement> inFlight = peer.Connection.CallAsync("Heartbeat");
        Task<JsonElement> queued = peer.Connection.CallAsync("Heartbeat");
        await peer.ReceiveAsync();
        peer.Abort();
        (await inFlight.Invoking(c => c).Should().ThrowAsync<OcppConnectionClosedException>()).Which.WasSent.Should().BeTrue();
        (await queued.Invoking(c => c).Should().ThrowAsync<OcppConnectionClosedException>()).Which.WasSent.Should().BeFalse("it never left, so a retry is safe");
        (await peer.Connection.Completion).Code.Should().Be(1006);
        (await peer.Connection.Invoking(c => c.CallAsync("Heartbeat")).Should().ThrowAsync<OcppConnectionClosedException>()).Which.WasSent.Should().BeFalse();
    }

    [Fact]
    public async Task Calls_on_a_closed_connection_fail_at_once()
    {
        await using var pair = ConnectedPair.Create();
        await pair.Station.CloseAsync();
        var started = DateTime.UtcNow;
        await pair.Station.Invoking(c => c.CallAsync("Heartbeat")).Should().ThrowAsync<OcppConnectionClosedException>();
        await pair.Csms.Invoking(c => c.CallAsync("Heartbeat")).Should().ThrowAsync<OcppConnectionClosedException>();
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Incoming_calls_cross_an_outstanding_outbound_call()
    {
        await using var pair = ConnectedPair.Create(setup: (station, csms) =>
        {
            station.Handle("GetConfiguration", _ => new ValueTask<OcppReply>(OcppPayload.FromJson("""{"configurationKey":[]}""")));
            csms.Handle("BootNotification", async ctx =>
            {
                // While the station's BootNotification is outstanding, the CSMS calls the station.
                JsonElement config = await ctx.Connection.CallAsync("GetConfiguration");
                config.TryGetProperty("configurationKey", out _).Should().BeTrue();
                return OcppPayload.FromJson("""{"status":"Accepted","interval":60,"currentTime":"2025-01-01T00:00:00Z"}""");
            });
        });
        JsonElement boot = await pair.Station.CallAsync("BootNotification", OcppPayload.FromJson("""{"chargePointVendor":"V","chargePointModel":"M"}"""));
        boot.GetProperty("status").GetString().Should().Be("Accepted");
    }

    [Fact]
    public async Task Send_is_one_way_on_2_1_and_refused_before()
    {
        var received = new TaskCompletionSource<TestStreamMessage>();
        await using var pair = ConnectedPair.Create(OcppProtocols.Ocpp21, setup: (_, csms) =>
            csms.HandleSend<TestStreamMessage>((m, ctx) => { ctx.MessageType.Should().Be(OcppMessageType.Send); received.TrySetResult(m); return ValueTask.CompletedTask; }));
        await pair.Station.SendAsync(new TestStreamMessage { Id = 42 });
        (await received.Task.WaitAsync(TimeSpan.FromSeconds(5))).Id.Should().Be(42);

        await using var old = ConnectedPair.Create(OcppProtocols.Ocpp201);
        await old.Station.Invoking(s => s.SendAsync("NotifyPeriodicEventStream")).Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task Send_goes_out_while_a_call_is_pending_and_gets_no_answer()
    {
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp21);
        Task<JsonElement> call = peer.Connection.CallAsync("Heartbeat");
        JsonElement sentCall = await peer.ReceiveJsonAsync();
        await peer.Connection.SendAsync("NotifyPeriodicEventStream", OcppPayload.FromJson("""{"id":1,"pending":0,"basetime":"2025-01-01T00:00:00Z","data":[]}"""));
        JsonElement sentSend = await peer.ReceiveJsonAsync();
        sentSend[0].GetInt32().Should().Be(6);
        sentSend[2].GetString().Should().Be("NotifyPeriodicEventStream");
        await peer.SendAsync($$"""[3,"{{sentCall[1].GetString()}}",{}]""");
        await call;
    }

    [Fact]
    public async Task Result_that_does_not_fit_the_typed_response_fails_the_call()
    {
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp16);
        Task<TestBootResponse> call = peer.Connection.CallAsync(new TestBootRequest { Vendor = "V", Model = "M" });
        string id = (await peer.ReceiveJsonAsync())[1].GetString()!;
        await peer.SendAsync($$"""[3,"{{id}}",{"status":"Accepted"}]""");
        await call.Invoking(c => c).Should().ThrowAsync<OcppFormatViolationException>();
        await peer.ExpectSilenceAsync(); // 1.6 has no CALLRESULTERROR
    }

    [Fact]
    public async Task On_2_1_a_result_that_cannot_be_processed_is_answered_with_call_result_error()
    {
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp21);
        var pending = peer.Connection.CallAsync("Heartbeat", default, null);
        string id = (await peer.ReceiveJsonAsync())[1].GetString()!;
        await peer.SendAsync($$"""[3,"{{id}}",[1,2]]""");
        await pending.Invoking(c => c).Should().ThrowAsync<OcppFormatViolationException>();
        JsonElement reply = await peer.ReceiveJsonAsync();
        reply[0].GetInt32().Should().Be(5);
        reply[1].GetString().Should().Be(id);
        reply[2].GetString().Should().Be("FormatViolation");
    }
}

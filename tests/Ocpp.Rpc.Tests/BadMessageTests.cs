using System.Text;
using System.Text.Json;
using Ocpp.Rpc.Framing;
using Ocpp.Rpc.Tests.Support;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.Tests;

public class BadMessageTests
{
    private static RawPeer Echoing(string protocol, OcppConnectionOptions? options = null) =>
        RawPeer.Create(protocol, options, c => c.Handle("Echo", ctx => new ValueTask<OcppReply>(ctx.PayloadElement)));

    private static async Task ExpectUsable(RawPeer peer)
    {
        await peer.SendAsync("""[2,"ok","Echo",{"still":"alive"}]""");
        JsonElement reply = await peer.ReceiveJsonAsync();
        reply[0].GetInt32().Should().Be(3);
        reply[2].GetProperty("still").GetString().Should().Be("alive");
    }

    [Theory]
    [InlineData(OcppProtocols.Ocpp16, "not json", "-1", "FormationViolation")]
    [InlineData(OcppProtocols.Ocpp201, "not json", "-1", "RpcFrameworkError")]
    [InlineData(OcppProtocols.Ocpp21, "not json", "-1", "RpcFrameworkError")]
    [InlineData(OcppProtocols.Ocpp201, """{"a":1}""", "-1", "RpcFrameworkError")]
    [InlineData(OcppProtocols.Ocpp201, """["2","x","Echo",{}]""", "-1", "RpcFrameworkError")]
    [InlineData(OcppProtocols.Ocpp201, """[2,5,"Echo",{}]""", "-1", "RpcFrameworkError")]
    [InlineData(OcppProtocols.Ocpp201, """[2,"keep","",{}]""", "keep", "RpcFrameworkError")]
    [InlineData(OcppProtocols.Ocpp201, """[2,"keep","Echo",[1]]""", "keep", "FormatViolation")]
    [InlineData(OcppProtocols.Ocpp16, """[2,"keep","Echo",[1]]""", "keep", "FormationViolation")]
    [InlineData(OcppProtocols.Ocpp201, """[2,"0123456789012345678901234567890123456","Echo",{}]""", "-1", "RpcFrameworkError")]
    [InlineData(OcppProtocols.Ocpp16, """[2,"0123456789012345678901234567890123456","Echo",{}]""", "-1", "FormationViolation")]
    public async Task Bad_calls_are_answered_with_a_version_correct_error(string protocol, string message, string replyId, string code)
    {
        await using RawPeer peer = Echoing(protocol);
        await peer.SendAsync(message);
        JsonElement reply = await peer.ReceiveJsonAsync();
        reply.GetArrayLength().Should().Be(5);
        reply[0].GetInt32().Should().Be(4);
        reply[1].GetString().Should().Be(replyId);
        reply[2].GetString().Should().Be(code);
        reply[4].ValueKind.Should().Be(JsonValueKind.Object);
        await ExpectUsable(peer);
    }

    [Fact]
    public async Task Invalid_json_is_never_echoed_back()
    {
        await using RawPeer peer = Echoing(OcppProtocols.Ocpp201);
        await peer.SendAsync("""[2,"id","Echo",{"evil":"<script>""");
        string reply = await peer.ReceiveAsync();
        reply.Should().NotContain("evil").And.NotContain("script");
    }

    [Theory]
    [InlineData(OcppProtocols.Ocpp16, false)]
    [InlineData(OcppProtocols.Ocpp201, true)]
    [InlineData(OcppProtocols.Ocpp21, false)]
    public async Task Unknown_message_types_are_ignored_except_in_2_0_1(string protocol, bool answered)
    {
        await using RawPeer peer = Echoing(protocol);
        await peer.SendAsync("""[7,"u1",{}]""");
        if (answered)
        {
            JsonElement reply = await peer.ReceiveJsonAsync();
            reply[1].GetString().Should().Be("u1");
            reply[2].GetString().Should().Be("MessageTypeNotSupported");
        }
        else
        {
            await peer.ExpectSilenceAsync();
        }

        await ExpectUsable(peer);
    }

    [Theory]
    [InlineData(OcppProtocols.Ocpp16, false)]
    [InlineData(OcppProtocols.Ocpp201, true)]
    public async Task Send_and_call_result_error_are_unknown_types_before_2_1(string protocol, bool answered)
    {
        await using RawPeer peer = Echoing(protocol);
        await peer.SendAsync("""[6,"s1","Echo",{}]""");
        await peer.SendAsync("""[5,"s2","GenericError","",{}]""");
        if (answered)
        {
            (await peer.ReceiveJsonAsync())[2].GetString().Should().Be("MessageTypeNotSupported");
            (await peer.ReceiveJsonAsync())[2].GetString().Should().Be("MessageTypeNotSupported");
        }

        await peer.ExpectSilenceAsync();
        await ExpectUsable(peer);
    }

    [Fact]
    public async Task A_send_in_2_1_is_handled_but_never_answered_even_when_unknown()
    {
        var got = new TaskCompletionSource<string>();
        await using RawPeer peer = RawPeer.Create(OcppProtocols.Ocpp21, setup: c => c.Handle("Stream", ctx => { got.SetResult(ctx.MessageId); return new ValueTask<OcppReply>(OcppReply.Empty); }));
        await peer.SendAsync("""[6,"s1","Stream",{}]""");
        await peer.SendAsync("""[6,"s2","Unknown",{}]""");
        (await got.Task.WaitAsync(TimeSpan.FromSeconds(5))).Should().Be("s1");
        await peer.ExpectSilenceAsync();
    }

    [Fact]
    public async Task Malformed_responses_fail_the_pending_call_without_a_reply_before_2_1()
    {
        await using RawPeer peer = Echoing(OcppProtocols.Ocpp201);
        Task<JsonElement> call = peer.Connection.CallAsync("Heartbeat");
        string id = (await peer.ReceiveJsonAsync())[1].GetString()!;
        await peer.SendAsync($$"""[3,"{{id}}","not an object"]""");
        await call.Invoking(c => c).Should().ThrowAsync<OcppFormatViolationException>();
        await peer.ExpectSilenceAsync();
    }

    [Fact]
    public async Task Binary_messages_are_bad_messages_and_get_no_reply()
    {
        await using RawPeer peer = Echoing(OcppProtocols.Ocpp16);
        var bad = new TaskCompletionSource<OcppBadMessageEventArgs>();
        peer.Connection.BadMessage += (_, e) => bad.TrySetResult(e);
        await peer.SendBinaryAsync([1, 2, 3]);
        (await bad.Task.WaitAsync(TimeSpan.FromSeconds(5))).Error.Kind.Should().Be(OcppFrameErrorKind.BinaryMessage);
        await peer.ExpectSilenceAsync();
        await ExpectUsable(peer);
    }

    [Fact]
    public async Task Bad_message_event_reports_the_error_and_a_truncated_copy()
    {
        await using RawPeer peer = Echoing(OcppProtocols.Ocpp16);
        var events = new List<OcppBadMessageEventArgs>();
        peer.Connection.BadMessage += (_, e) => { lock (events) { events.Add(e); } };
        string huge = "x" + new string('y', 5000);
        await peer.SendAsync(huge);
        await peer.ReceiveAsync();
        events.Should().ContainSingle();
        events[0].Error.Kind.Should().Be(OcppFrameErrorKind.InvalidJson);
        events[0].Message.Length.Should().Be(1024);
        events[0].ConsecutiveCount.Should().Be(1);
    }

    [Fact]
    public async Task Too_many_consecutive_bad_messages_close_with_1002()
    {
        await using RawPeer peer = Echoing(OcppProtocols.Ocpp201, OcppConnectionOptions.Default with { MaxBadMessages = 3 });
        for (int i = 0; i < 3; i++)
        {
            await peer.SendAsync("garbage");
            await peer.ReceiveAsync();
        }

        TransportReceiveResult close = await peer.ExpectCloseAsync();
        close.CloseCode.Should().Be(1002);
        (await peer.Connection.Completion.WaitAsync(TimeSpan.FromSeconds(5))).Code.Should().Be(1002);
    }

    [Fact]
    public async Task A_good_message_resets_the_bad_message_count()
    {
        await using RawPeer peer = Echoing(OcppProtocols.Ocpp201, OcppConnectionOptions.Default with { MaxBadMessages = 3 });
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 2; i++)
            {
                await peer.SendAsync("garbage");
                await peer.ReceiveAsync();
            }

            await ExpectUsable(peer);
        }

        peer.Connection.State.Should().Be(OcppConnectionState.Open);
    }

    [Fact]
    public async Task Unlimited_bad_messages_never_close()
    {
        await using RawPeer peer = Echoing(OcppProtocols.Ocpp16, OcppConnectionOptions.Default with { MaxBadMessages = null, MaxBadMessagesPerMinute = null });
        for (int i = 0; i < 50; i++)
        {
            await peer.SendAsync("[");
            await peer.ReceiveAsync();
        }

        await ExpectUsable(peer);
    }

    [Fact]
    public async Task A_message_over_the_size_limit_closes_with_1009()
    {
        await using RawPeer peer = Echoing(OcppProtocols.Ocpp16, OcppConnectionOptions.Default with { MaxMessageSize = 1000 });
        await peer.SendAsync("""[2,"1","Echo",{"a":"x"}]""");
        await peer.ReceiveAsync();
        await peer.SendAsync($$"""[2,"2","Echo",{"a":"{{new string('x', 2000)}}"}]""");
        TransportReceiveResult result = await peer.ExpectCloseAsync();
        result.CloseCode.Should().Be(1009);
        (await peer.Connection.Completion.WaitAsync(TimeSpan.FromSeconds(5))).Code.Should().Be(1009);
    }

    [Fact]
    public async Task After_1009_the_engine_waits_for_the_peer_s_close_but_not_forever()
    {
        await using RawPeer peer = Echoing(OcppProtocols.Ocpp16, OcppConnectionOptions.Default with { MaxMessageSize = 1000, CloseTimeout = TimeSpan.FromMilliseconds(300) });
        Task<JsonElement> pending = peer.Connection.CallAsync("Heartbeat");
        await peer.ReceiveAsync();
        await peer.SendAsync($$"""[2,"2","Echo",{"a":"{{new string('x', 2000)}}"}]""");
        (await peer.ReceiveAnyAsync()).Result.CloseCode.Should().Be(1009);
        await pending.Invoking(p => p).Should().ThrowAsync<OcppConnectionClosedException>();
        await peer.SendAsync("""[2,"3","Echo",{}]"""); // read and discarded while closing
        (await peer.Connection.Completion.WaitAsync(TimeSpan.FromSeconds(5))).Code.Should().Be(1009);
    }

    [Fact]
    public async Task Exactly_the_limit_is_accepted()
    {
        string frame = $$"""[2,"1","Echo",{"a":"{{new string('x', 100)}}"}]""";
        await using RawPeer peer = Echoing(OcppProtocols.Ocpp16, OcppConnectionOptions.Default with { MaxMessageSize = Encoding.UTF8.GetByteCount(frame) });
        await peer.SendAsync(frame);
        (await peer.ReceiveJsonAsync())[0].GetInt32().Should().Be(3);
    }
}

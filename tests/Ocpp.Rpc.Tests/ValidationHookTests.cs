using System.Text;
using System.Text.Json;
using Ocpp.Rpc.Tests.Support;
using Ocpp.Rpc.Validation;

namespace Ocpp.Rpc.Tests;

/// <summary>How the engine uses an <see cref="IOcppPayloadValidator"/>. The real schema validator is tested in its own package.</summary>
public class ValidationHookTests
{
    /// <summary>Rejects any payload containing "bad" (a stand-in for a schema: the engine must not care how).</summary>
    private sealed class KeywordValidator : IOcppPayloadValidator
    {
        public List<(string Protocol, string Action, OcppPayloadKind Kind)> Seen { get; } = [];

        public OcppValidationFailure? Validate(string protocol, string action, OcppPayloadKind kind, ReadOnlySpan<byte> payload)
        {
            lock (Seen)
            {
                Seen.Add((protocol, action, kind));
            }

            return Encoding.UTF8.GetString(payload).Contains("bad", StringComparison.Ordinal)
                ? new OcppValidationFailure(OcppErrorCode.OccurrenceConstraintViolation, "value: bad", ["value: bad"])
                : null;
        }
    }

    [Theory]
    [InlineData(OcppProtocols.Ocpp16, "OccurenceConstraintViolation")]
    [InlineData(OcppProtocols.Ocpp201, "OccurrenceConstraintViolation")]
    public async Task Invalid_inbound_calls_get_the_validator_s_code_and_never_reach_the_handler(string protocol, string wire)
    {
        var validator = new KeywordValidator();
        bool handled = false;
        var failures = new List<OcppValidationFailedEventArgs>();
        await using var peer = RawPeer.Create(protocol, OcppConnectionOptions.Default with { Validator = validator }, c =>
        {
            c.Handle("A", _ => { handled = true; return new ValueTask<OcppReply>(OcppReply.Empty); });
            c.ValidationFailed += (_, e) => failures.Add(e);
        });
        await peer.SendAsync("""[2,"1","A",{"v":"bad"}]""");
        JsonElement reply = await peer.ReceiveJsonAsync();
        reply[2].GetString().Should().Be(wire);
        reply[3].GetString().Should().Be("value: bad");
        handled.Should().BeFalse();
        failures.Should().ContainSingle().Which.Direction.Should().Be(OcppDirection.Inbound);
        validator.Seen.Should().Contain((protocol, "A", OcppPayloadKind.Request));
    }

    [Fact]
    public async Task Invalid_handler_responses_are_replaced_by_InternalError()
    {
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp201, OcppConnectionOptions.Default with { Validator = new KeywordValidator() },
            c => c.Handle("A", _ => new ValueTask<OcppReply>(OcppPayload.FromJson("""{"v":"bad"}"""))));
        await peer.SendAsync("""[2,"1","A",{}]""");
        JsonElement reply = await peer.ReceiveJsonAsync();
        reply[0].GetInt32().Should().Be(4);
        reply[2].GetString().Should().Be("InternalError");
    }

    [Fact]
    public async Task Invalid_outbound_requests_throw_locally_and_are_not_sent()
    {
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp201, OcppConnectionOptions.Default with { Validator = new KeywordValidator() });
        await peer.Connection.Invoking(c => c.CallAsync("A", OcppPayload.FromJson("""{"v":"bad"}"""))).Should().ThrowAsync<OcppOccurrenceConstraintViolationException>();
        await peer.ExpectSilenceAsync();
        Task<JsonElement> skipped = peer.Connection.CallAsync("A", OcppPayload.FromJson("""{"v":"bad"}"""), new OcppCallOptions { SkipValidation = true });
        string id = (await peer.ReceiveJsonAsync())[1].GetString()!;
        await peer.SendAsync($$"""[3,"{{id}}",{"v":"bad"}]""");
        await skipped; // skipping covers the response too
    }

    [Theory]
    [InlineData(OcppProtocols.Ocpp201, false)]
    [InlineData(OcppProtocols.Ocpp21, true)]
    public async Task Invalid_responses_fail_the_call_and_2_1_answers_with_call_result_error(string protocol, bool resultError)
    {
        await using var peer = RawPeer.Create(protocol, OcppConnectionOptions.Default with { Validator = new KeywordValidator() });
        Task<JsonElement> call = peer.Connection.CallAsync("A");
        string id = (await peer.ReceiveJsonAsync())[1].GetString()!;
        await peer.SendAsync($$"""[3,"{{id}}",{"v":"bad"}]""");
        await call.Invoking(c => c).Should().ThrowAsync<OcppOccurrenceConstraintViolationException>();
        if (resultError)
        {
            JsonElement reply = await peer.ReceiveJsonAsync();
            reply[0].GetInt32().Should().Be(5);
            reply[1].GetString().Should().Be(id);
            reply[2].GetString().Should().Be("OccurrenceConstraintViolation");
        }
        else
        {
            await peer.ExpectSilenceAsync();
        }
    }

    private sealed class ThrowingValidator : IOcppPayloadValidator
    {
        public OcppValidationFailure? Validate(string protocol, string action, OcppPayloadKind kind, ReadOnlySpan<byte> payload) =>
            throw new InvalidOperationException("regex blew up");
    }

    [Fact]
    public async Task A_throwing_validator_becomes_InternalError_and_the_connection_survives()
    {
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp201, OcppConnectionOptions.Default with { Validator = new ThrowingValidator() },
            c => c.Handle("A", _ => new ValueTask<OcppReply>(OcppReply.Empty)));
        for (int i = 0; i < 2; i++)
        {
            await peer.SendAsync($$"""[2,"{{i}}","A",{}]""");
            JsonElement reply = await peer.ReceiveJsonAsync();
            reply[2].GetString().Should().Be("InternalError");
        }

        peer.Connection.State.Should().Be(OcppConnectionState.Open);
    }
}

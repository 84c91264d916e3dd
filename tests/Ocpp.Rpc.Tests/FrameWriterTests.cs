using System.Buffers;
using System.Text;
using System.Text.Json;
using Ocpp.Rpc.Framing;

namespace Ocpp.Rpc.Tests;

public class FrameWriterTests
{
    private static string Write(Func<Utf8JsonWriter, Range?> write, out Range? range)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer);
        range = write(writer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Writes_a_call_and_reports_where_the_payload_is()
    {
        string text = Write(w => OcppFrameWriter.WriteCall(w, OcppMessageType.Call, "1", "Heartbeat", OcppPayload.FromJson("""{"a":1}""")), out Range? range);
        text.Should().Be("""[2,"1","Heartbeat",{"a":1}]""");
        text[range!.Value].Should().Be("""{"a":1}""");
    }

    [Fact]
    public void Writes_an_empty_object_for_the_default_payload()
    {
        Write(w => OcppFrameWriter.WriteResult(w, "9", default), out _).Should().Be("""[3,"9",{}]""");
    }

    [Fact]
    public void Writes_a_send()
    {
        Write(w => OcppFrameWriter.WriteCall(w, OcppMessageType.Send, "s", "NotifyPeriodicEventStream", OcppPayload.Empty), out _)
            .Should().Be("""[6,"s","NotifyPeriodicEventStream",{}]""");
    }

    [Fact]
    public void Writes_errors_with_empty_details_and_truncated_description()
    {
        string longText = new('x', 300);
        string text = Write(w => { OcppFrameWriter.WriteError(w, OcppMessageType.CallError, "-1", "RpcFrameworkError", longText, null); return null; }, out _);
        JsonElement e = JsonElement.Parse(text);
        e.GetArrayLength().Should().Be(5);
        e[3].GetString().Should().HaveLength(255);
        e[4].GetRawText().Should().Be("{}");
        Write(w => { OcppFrameWriter.WriteError(w, OcppMessageType.CallResultError, "a", "FormatViolation", null, JsonElement.Parse("""{"k":1}""")); return null; }, out _)
            .Should().Be("""[5,"a","FormatViolation","",{"k":1}]""");
    }

    [Fact]
    public void Does_not_split_a_surrogate_pair_when_truncating()
    {
        string text = new string('x', 254) + "\U0001F600";
        string written = Write(w => { OcppFrameWriter.WriteError(w, OcppMessageType.CallError, "1", "GenericError", text, null); return null; }, out _);
        JsonElement.Parse(written)[3].GetString().Should().Be(new string('x', 254));
    }

    [Fact]
    public void Rejects_payloads_that_are_not_objects()
    {
        var act = () => Write(w => OcppFrameWriter.WriteResult(w, "1", OcppPayload.FromJson("[1]")), out _);
        act.Should().Throw<ArgumentException>();
        var act2 = () => Write(w => OcppFrameWriter.WriteResult(w, "1", JsonElement.Parse("5")), out _);
        act2.Should().Throw<ArgumentException>();
        var act3 = () => Write(w => OcppFrameWriter.WriteResult(w, "1", OcppPayload.FromJson("{broken")), out _);
        act3.Should().Throw<Exception>();
    }

    [Fact]
    public void Keeps_non_ascii_text_readable()
    {
        Write(w => OcppFrameWriter.WriteResult(w, "1", OcppPayload.FromJson("""{"t":"Grüße"}""")), out _).Should().Contain("Grüße");
    }
}

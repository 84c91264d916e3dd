using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ocpp.Rpc.Framing;
using Ocpp.Rpc.Internal;

namespace Ocpp.Rpc.Tests;

/// <summary>
/// The engine writes the frame envelope of its CALLs and CALLRESULTs straight into the buffer; the bytes and the payload
/// range must be exactly what <see cref="OcppFrameWriter"/> writes with the engine's writer options.
/// </summary>
public class FrameBufferTests
{
    private static readonly JsonWriterOptions EngineOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static TheoryData<string> Ids => new()
    {
        "1",
        "0f3b6a4c-1d2e-4f5a-8b9c-0d1e2f3a4b5c",
        " !#$%&'()*+,-./:;<=>?@[]^_`{|}~",
        "quote\"inside",
        "back\\slash",
        "tab\there",
        "\u007f",
        "ü-non-ascii",
        "\U0001F600",
        string.Empty,
    };

    private static OcppPayload[] Payloads() =>
    [
        default,
        OcppPayload.FromJson("""{"a":1,"b":[true,null,"x"]}"""),
        OcppPayload.FromJson("null"),
        OcppPayload.FromElement(JsonElement.Parse("""{"nested":{"k":"\u00e9"}}""")),
        OcppPayload.From(JsonElement.Parse("""{"currentTime":"2025-01-02T03:04:05.678Z"}"""), CoreJsonContext.Default.JsonElement),
    ];

    [Theory]
    [MemberData(nameof(Ids))]
    public void Results_match_the_frame_writer(string id)
    {
        foreach (OcppPayload payload in Payloads())
        {
            string expected = Reference(w => OcppFrameWriter.WriteResult(w, id, payload), out Range expectedRange);
            using FrameBuffer frame = FrameBuffer.Rent();
            Range range = frame.WriteResult(id, payload);
            string actual = Encoding.UTF8.GetString(frame.Written.Span);

            actual.Should().Be(expected);
            Encoding.UTF8.GetString(frame.Written.Span[range]).Should().Be(Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(expected).AsSpan()[expectedRange]));
            JsonDocument.Parse(actual).RootElement.GetArrayLength().Should().Be(3);
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Calls_and_sends_match_the_frame_writer(string text)
    {
        foreach (OcppMessageType type in new[] { OcppMessageType.Call, OcppMessageType.Send })
        {
            foreach ((string id, string action) in new[] { (text, "Heartbeat"), ("42", text) })
            {
                foreach (OcppPayload payload in Payloads())
                {
                    string expected = Reference(w => OcppFrameWriter.WriteCall(w, type, id, action, payload), out Range expectedRange);
                    using FrameBuffer frame = FrameBuffer.Rent();
                    Range range = frame.WriteCall(type, id, action, payload);

                    Encoding.UTF8.GetString(frame.Written.Span).Should().Be(expected);
                    frame.Written.Span[range].ToArray().Should().Equal(Encoding.UTF8.GetBytes(expected).AsSpan()[expectedRange].ToArray());
                }
            }
        }
    }

    [Fact]
    public void A_payload_that_is_not_an_object_is_refused_and_the_rented_buffer_stays_usable()
    {
        FrameBuffer frame = FrameBuffer.Rent();
        Action write = () => frame.WriteResult("1", OcppPayload.FromJson("[1,2]"));
        write.Should().Throw<ArgumentException>();
        frame.Dispose();

        using FrameBuffer next = FrameBuffer.Rent();
        next.WriteResult("2", default);
        Encoding.UTF8.GetString(next.Written.Span).Should().Be("""[3,"2",{}]""");
    }

    private static string Reference(Func<Utf8JsonWriter, Range> write, out Range range)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, EngineOptions))
        {
            range = write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

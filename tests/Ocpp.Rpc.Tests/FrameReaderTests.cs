using System.Text;
using Ocpp.Rpc.Framing;

namespace Ocpp.Rpc.Tests;

public class FrameReaderTests
{
    private static (bool Ok, OcppFrame Frame, OcppFrameError Error) Read(string text) => Read(Encoding.UTF8.GetBytes(text));

    private static (bool Ok, OcppFrame Frame, OcppFrameError Error) Read(byte[] bytes)
    {
        bool ok = OcppFrameReader.TryRead(bytes, out OcppFrame frame, out OcppFrameError error);
        return (ok, frame, error);
    }

    [Fact]
    public void Reads_a_call_and_keeps_the_payload_raw()
    {
        const string text = """[2, "abc", "BootNotification", {"chargePointVendor":"V","nested":{"a":[1,2]}}]""";
        var (ok, frame, _) = Read(text);
        ok.Should().BeTrue();
        frame.MessageType.Should().Be(OcppMessageType.Call);
        frame.MessageId.Should().Be("abc");
        frame.Action.Should().Be("BootNotification");
        Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text)[frame.Payload]).Should().Be("""{"chargePointVendor":"V","nested":{"a":[1,2]}}""");
    }

    [Fact]
    public void Reads_a_result_with_null_payload()
    {
        const string text = """[3,"id-1",null]""";
        var (ok, frame, _) = Read(text);
        ok.Should().BeTrue();
        frame.MessageType.Should().Be(OcppMessageType.CallResult);
        Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text)[frame.Payload]).Should().Be("null");
    }

    [Fact]
    public void Reads_a_call_error_with_details()
    {
        const string text = """[4,"x","NotImplemented","Unknown action",{"why":"no"}]""";
        var (ok, frame, _) = Read(text);
        ok.Should().BeTrue();
        frame.ErrorCode.Should().Be("NotImplemented");
        frame.ErrorDescription.Should().Be("Unknown action");
        Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text)[frame.ErrorDetails]).Should().Be("""{"why":"no"}""");
    }

    [Theory]
    [InlineData("""[4,"x","GenericError"]""")]
    [InlineData("""[4,"x","GenericError",""]""")]
    [InlineData("""[4,"x","GenericError",null,null]""")]
    [InlineData("""[4,"x","GenericError","d",[]]""")]
    public void Is_lenient_with_the_optional_parts_of_an_error(string text)
    {
        var (ok, frame, _) = Read(text);
        ok.Should().BeTrue();
        frame.ErrorCode.Should().Be("GenericError");
        frame.ErrorDetails.Should().Be(default(Range));
    }

    [Fact]
    public void Reads_2_1_call_result_error_and_send()
    {
        Read("""[5,"r","FormatViolation","bad",{}]""").Frame.MessageType.Should().Be(OcppMessageType.CallResultError);
        var send = Read("""[6,"s","NotifyPeriodicEventStream",{"data":[]}]""");
        send.Ok.Should().BeTrue();
        send.Frame.MessageType.Should().Be(OcppMessageType.Send);
        send.Frame.Action.Should().Be("NotifyPeriodicEventStream");
    }

    [Fact]
    public void Unescapes_the_message_id_and_action()
    {
        var (ok, frame, _) = Read("""[2,"a\u0062c","Heart\u0062eat",{}]""");
        ok.Should().BeTrue();
        frame.MessageId.Should().Be("abc");
        frame.Action.Should().Be("Heartbeat");
    }

    [Fact]
    public void Accepts_36_character_ids_and_rejects_37()
    {
        string id36 = new('a', 36);
        Read($$"""[2,"{{id36}}","Heartbeat",{}]""").Ok.Should().BeTrue();
        string id37 = new('a', 37);
        var (ok, _, error) = Read($$"""[2,"{{id37}}","Heartbeat",{}]""");
        ok.Should().BeFalse();
        error.Kind.Should().Be(OcppFrameErrorKind.MessageIdTooLong);
        error.MessageId.Should().BeNull("an over-long id is not a valid OCPP-J id and is never echoed");
        error.MessageTypeNumber.Should().Be(2);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void A_huge_id_is_not_materialised_whatever_the_type(int type)
    {
        string huge = new('x', 1_000_000);
        var (ok, _, error) = Read($$"""[{{type}},"{{huge}}","Heartbeat",{}]""");
        ok.Should().BeFalse();
        error.MessageId.Should().BeNull();
    }

    [Theory]
    [InlineData("", OcppFrameErrorKind.InvalidJson)]
    [InlineData("   ", OcppFrameErrorKind.InvalidJson)]
    [InlineData("not json", OcppFrameErrorKind.InvalidJson)]
    [InlineData("""[2,"id","Heartbeat",{}""", OcppFrameErrorKind.InvalidJson)]
    [InlineData("""[2,"id","Heartbeat",{}] trailing""", OcppFrameErrorKind.InvalidJson)]
    [InlineData("""[2,"id","Heartbeat",{}][]""", OcppFrameErrorKind.InvalidJson)]
    [InlineData("""[2,"id","Heartbeat",{,}]""", OcppFrameErrorKind.InvalidJson)]
    [InlineData("""[2,"id","Heartbeat",{} /*c*/]""", OcppFrameErrorKind.InvalidJson)]
    [InlineData("""{"a":1}""", OcppFrameErrorKind.NotAnArray)]
    [InlineData("42", OcppFrameErrorKind.NotAnArray)]
    [InlineData("\"text\"", OcppFrameErrorKind.NotAnArray)]
    [InlineData("[]", OcppFrameErrorKind.InvalidMessageType)]
    [InlineData("""["2","id","Heartbeat",{}]""", OcppFrameErrorKind.InvalidMessageType)]
    [InlineData("""[2.5,"id","Heartbeat",{}]""", OcppFrameErrorKind.InvalidMessageType)]
    [InlineData("""[99999999999,"id","Heartbeat",{}]""", OcppFrameErrorKind.InvalidMessageType)]
    [InlineData("[2]", OcppFrameErrorKind.InvalidMessageId)]
    [InlineData("""[2,7,"Heartbeat",{}]""", OcppFrameErrorKind.InvalidMessageId)]
    [InlineData("""[2,null,"Heartbeat",{}]""", OcppFrameErrorKind.InvalidMessageId)]
    [InlineData("""[7,"id","Heartbeat",{}]""", OcppFrameErrorKind.UnknownMessageType)]
    [InlineData("""[1,"id"]""", OcppFrameErrorKind.UnknownMessageType)]
    [InlineData("""[2,"id"]""", OcppFrameErrorKind.InvalidAction)]
    [InlineData("""[2,"id","",{}]""", OcppFrameErrorKind.InvalidAction)]
    [InlineData("""[2,"id",5,{}]""", OcppFrameErrorKind.InvalidAction)]
    [InlineData("""[2,"id","Heartbeat"]""", OcppFrameErrorKind.InvalidPayload)]
    [InlineData("""[2,"id","Heartbeat",[]]""", OcppFrameErrorKind.InvalidPayload)]
    [InlineData("""[2,"id","Heartbeat","{}"]""", OcppFrameErrorKind.InvalidPayload)]
    [InlineData("""[2,"id","Heartbeat",{},{}]""", OcppFrameErrorKind.WrongElementCount)]
    [InlineData("""[3,"id"]""", OcppFrameErrorKind.InvalidPayload)]
    [InlineData("""[3,"id",{},1]""", OcppFrameErrorKind.WrongElementCount)]
    [InlineData("""[4,"id"]""", OcppFrameErrorKind.InvalidError)]
    [InlineData("""[4,"id",1,"d",{}]""", OcppFrameErrorKind.InvalidError)]
    [InlineData("""[4,"id","GenericError",1,{}]""", OcppFrameErrorKind.InvalidError)]
    [InlineData("""[4,"id","GenericError","d",{},1]""", OcppFrameErrorKind.WrongElementCount)]
    public void Rejects_malformed_frames_with_a_reason(string text, OcppFrameErrorKind kind)
    {
        var (ok, _, error) = Read(text);
        ok.Should().BeFalse();
        error.Kind.Should().Be(kind);
        error.Description.Should().NotBeNullOrEmpty();
        error.Description.Should().NotContain(text.Length > 3 ? text : "\u0000", "the description never echoes the input");
    }

    [Fact]
    public void Keeps_the_id_of_structurally_bad_frames_so_the_error_can_refer_to_it()
    {
        var (_, _, error) = Read("""[2,"keep-me","Heartbeat",[]]""");
        error.MessageId.Should().Be("keep-me");
        error.MessageTypeNumber.Should().Be(2);
    }

    [Fact]
    public void Reports_structural_errors_in_invalid_json_as_invalid_json()
    {
        // The id is readable but the rest is broken: the whole message is untrustworthy.
        var (_, _, error) = Read("""[2,"id",5,{""");
        error.Kind.Should().Be(OcppFrameErrorKind.InvalidJson);
        error.MessageId.Should().BeNull();
    }

    [Fact]
    public void Rejects_deep_nesting_without_stack_overflow()
    {
        string deep = "[2,\"id\",\"A\"," + new string('[', 100_000) + new string(']', 100_000) + "]";
        Read(deep).Error.Kind.Should().Be(OcppFrameErrorKind.InvalidJson);
        string nested = "[2,\"id\",\"A\"," + string.Concat(Enumerable.Repeat("{\"a\":", 70)) + "1" + new string('}', 70) + "]";
        Read(nested).Error.Kind.Should().Be(OcppFrameErrorKind.InvalidJson);
    }

    [Fact]
    public void Rejects_invalid_utf8()
    {
        byte[] bytes = [.. "[2,\"i"u8, 0xC3, 0x28, .. "d\",\"Heartbeat\",{}]"u8];
        Read(bytes).Ok.Should().BeFalse();
        byte[] inPayload = [.. "[2,\"id\",\"Heartbeat\",{\"a\":\""u8, 0xFF, .. "\"}]"u8];
        Read(inPayload).Ok.Should().BeFalse();
    }

    [Fact]
    public void Accepts_huge_numbers_in_the_payload()
    {
        Read("""[2,"id","DataTransfer",{"n":1e400,"m":123456789012345678901234567890}]""").Ok.Should().BeTrue();
    }
}

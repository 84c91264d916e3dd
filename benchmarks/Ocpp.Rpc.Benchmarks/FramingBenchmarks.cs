using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Ocpp.Rpc.Framing;
using Ocpp.Rpc.Messages.V16;

namespace Ocpp.Rpc.Benchmarks;

/// <summary>
/// Parsing one frame with <see cref="OcppFrameReader.TryRead"/>: a single forward pass that validates the JSON and the
/// frame shape, allocates the id (and action / error strings) and leaves the payload as a range in the buffer.
/// "large" = a 1.6 MeterValues with 8 meter values of 8 sampled values each (about 12 KB).
/// </summary>
[MemoryDiagnoser]
public class FrameReadBenchmarks
{
    private byte[] _frame = null!;

    [ParamsSource(nameof(Frames))]
    public string Frame { get; set; } = null!;

    public static IEnumerable<string> Frames() =>
        ["CALL small", "CALL large", "CALLRESULT small", "CALLRESULT large", "CALLERROR"];

    [GlobalSetup]
    public void Setup() => _frame = Payloads.Frame(Frame);

    [Benchmark]
    public bool TryRead() => OcppFrameReader.TryRead(_frame, out _, out _);
}

/// <summary>
/// Writing one frame with <see cref="OcppFrameWriter"/> into a reused buffer (the engine rents a pooled
/// <c>FrameBuffer</c> the same way): raw UTF-8 payloads are copied after a validity check, typed ones are serialized
/// with the source-generated <c>V16JsonContext</c> straight into the frame.
/// </summary>
[MemoryDiagnoser]
public class FrameWriteBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private Utf8JsonWriter _writer = null!;
    private ReadOnlyMemory<byte> _rawSmall;
    private ReadOnlyMemory<byte> _rawLarge;
    private BootNotificationRequest _boot = null!;
    private HeartbeatResponse _heartbeat = null!;
    private MeterValuesRequest _meterValues = null!;

    [GlobalSetup]
    public void Setup()
    {
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        _rawSmall = Encoding.UTF8.GetBytes(Payloads.BootNotification16);
        _rawLarge = Encoding.UTF8.GetBytes(Payloads.MeterValues16(8));
        _boot = JsonSerializer.Deserialize(_rawSmall.Span, V16JsonContext.Default.BootNotificationRequest)!;
        _meterValues = JsonSerializer.Deserialize(_rawLarge.Span, V16JsonContext.Default.MeterValuesRequest)!;
        _heartbeat = new HeartbeatResponse { CurrentTime = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero) };
    }

    [Benchmark]
    public Range CallRawSmall()
    {
        Reset();
        return OcppFrameWriter.WriteCall(_writer, OcppMessageType.Call, "c5f1a4b2-9d3e-4f6a-8b7c-0d1e2f3a4b5c", "BootNotification", OcppPayload.FromUtf8Json(_rawSmall));
    }

    [Benchmark]
    public Range CallRawLarge()
    {
        Reset();
        return OcppFrameWriter.WriteCall(_writer, OcppMessageType.Call, "c5f1a4b2-9d3e-4f6a-8b7c-0d1e2f3a4b5c", "MeterValues", OcppPayload.FromUtf8Json(_rawLarge));
    }

    [Benchmark]
    public Range CallTypedSmall()
    {
        Reset();
        return OcppFrameWriter.WriteCall(_writer, OcppMessageType.Call, "c5f1a4b2-9d3e-4f6a-8b7c-0d1e2f3a4b5c", "BootNotification", OcppPayload.From(_boot, V16JsonContext.Default.BootNotificationRequest));
    }

    [Benchmark]
    public Range CallTypedLarge()
    {
        Reset();
        return OcppFrameWriter.WriteCall(_writer, OcppMessageType.Call, "c5f1a4b2-9d3e-4f6a-8b7c-0d1e2f3a4b5c", "MeterValues", OcppPayload.From(_meterValues, V16JsonContext.Default.MeterValuesRequest));
    }

    [Benchmark]
    public Range ResultTypedHeartbeat()
    {
        Reset();
        return OcppFrameWriter.WriteResult(_writer, "c5f1a4b2-9d3e-4f6a-8b7c-0d1e2f3a4b5c", OcppPayload.From(_heartbeat, V16JsonContext.Default.HeartbeatResponse));
    }

    [Benchmark]
    public void Error()
    {
        Reset();
        OcppFrameWriter.WriteError(_writer, OcppMessageType.CallError, "c5f1a4b2-9d3e-4f6a-8b7c-0d1e2f3a4b5c", "NotImplemented", "Unknown action: FooBar", null);
    }

    private void Reset()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
    }
}

internal static class Payloads
{
    public const string Id = "c5f1a4b2-9d3e-4f6a-8b7c-0d1e2f3a4b5c";

    public const string BootNotification16 =
        """{"chargePointVendor":"Acme","chargePointModel":"Wallbox X1","chargePointSerialNumber":"WX1-000123","firmwareVersion":"1.4.2","iccid":"8931440000000000001","meterType":"ACME M3","meterSerialNumber":"M3-99887"}""";

    private static readonly string[] Measurands =
        ["Energy.Active.Import.Register", "Power.Active.Import", "Current.Import", "Current.Import", "Current.Import", "Voltage", "Voltage", "Voltage"];

    private static readonly string[] Phases = ["", "", "L1", "L2", "L3", "L1-N", "L2-N", "L3-N"];

    private static readonly string[] Units = ["Wh", "W", "A", "A", "A", "V", "V", "V"];

    /// <summary>A 1.6 MeterValues request with <paramref name="meterValues"/> meter values of 8 sampled values each.</summary>
    public static string MeterValues16(int meterValues)
    {
        string sampled = string.Join(",", Measurands.Select((m, i) =>
            "{\"value\":\"" + (1000 + i) + ".5\",\"context\":\"Sample.Periodic\",\"format\":\"Raw\",\"measurand\":\"" + m + "\","
            + (Phases[i].Length > 0 ? "\"phase\":\"" + Phases[i] + "\"," : "")
            + "\"location\":\"Outlet\",\"unit\":\"" + Units[i] + "\"}"));
        IEnumerable<string> values = Enumerable.Range(0, meterValues).Select(i =>
            "{\"timestamp\":\"2024-05-01T12:" + (i % 60).ToString("00", System.Globalization.CultureInfo.InvariantCulture) + ":00.000Z\",\"sampledValue\":[" + sampled + "]}");
        return "{\"connectorId\":1,\"transactionId\":4711,\"meterValue\":[" + string.Join(",", values) + "]}";
    }

    public static byte[] Frame(string name) => Encoding.UTF8.GetBytes(name switch
    {
        "CALL small" => $$"""[2,"{{Id}}","Heartbeat",{}]""",
        "CALL large" => $$"""[2,"{{Id}}","MeterValues",{{MeterValues16(8)}}]""",
        "CALLRESULT small" => $$"""[3,"{{Id}}",{"currentTime":"2025-01-01T12:00:00.000Z"}]""",
        "CALLRESULT large" => $$"""[3,"{{Id}}",{{MeterValues16(8)}}]""",
        "CALLERROR" => $$"""[4,"{{Id}}","NotImplemented","Unknown action: FooBar",{}]""",
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    });
}

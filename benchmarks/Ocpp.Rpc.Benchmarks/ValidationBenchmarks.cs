using System.Text;
using BenchmarkDotNet.Attributes;
using Ocpp.Rpc;
using Ocpp.Rpc.Validation;

namespace Ocpp.Rpc.Benchmarks;

/// <summary>
/// Cost of strict mode per message: <see cref="Parse"/> only builds the token tree that NJsonSchema validates (the
/// same parse <see cref="Validate"/> does first), so Validate minus Parse is the schema check itself.
/// <see cref="ParseWithJsonTextReader"/> shows what the usual Newtonsoft route to the same tree would cost.
/// </summary>
[MemoryDiagnoser]
public class ValidationBenchmarks
{
    private OcppSchemaValidator _validator = null!;
    private byte[] _payload = null!;

    [ParamsSource(nameof(Cases))]
    public PayloadCase Case { get; set; } = null!;

    public static IEnumerable<PayloadCase> Cases() =>
    [
        new("1.6 Heartbeat", OcppProtocols.Ocpp16, "Heartbeat", "{}"),
        new("1.6 Heartbeat conf", OcppProtocols.Ocpp16, "Heartbeat", """{"currentTime":"2026-11-23T10:00:00.000Z"}""", OcppPayloadKind.Response),
        new("1.6 BootNotif", OcppProtocols.Ocpp16, "BootNotification",
            """{"chargePointVendor":"Acme","chargePointModel":"Wallbox X1","chargePointSerialNumber":"WX1-000123","firmwareVersion":"1.4.2","iccid":"8931440000000000001","meterType":"ACME M3","meterSerialNumber":"M3-99887"}"""),
        new("1.6 MeterValues x8", OcppProtocols.Ocpp16, "MeterValues", MeterValues16()),
        new("2.0.1 Heartbeat", OcppProtocols.Ocpp201, "Heartbeat", "{}"),
        new("2.0.1 BootNotif", OcppProtocols.Ocpp201, "BootNotification",
            """{"reason":"PowerUp","chargingStation":{"model":"Wallbox X1","vendorName":"Acme","serialNumber":"WX1-000123","firmwareVersion":"1.4.2","modem":{"iccid":"8931440000000000001","imsi":"262019876543210"}}}"""),
        new("2.0.1 TxEvent x8", OcppProtocols.Ocpp201, "TransactionEvent", TransactionEvent201()),
    ];

    [GlobalSetup]
    public void Setup()
    {
        _validator = new OcppSchemaValidator();
        _validator.Preload();
        _payload = Encoding.UTF8.GetBytes(Case.Json);
        if (_validator.Validate(Case.Protocol, Case.Action, Case.Kind, _payload) is { } failure)
        {
            throw new InvalidOperationException($"Benchmark payload {Case} is invalid: {failure.Description}");
        }
    }

    [Benchmark(Baseline = true)]
    public object? Parse() => Ocpp.Rpc.Validation.Internal.PayloadParser.TryParse(_payload, out _);

    /// <summary>For comparison: the same tree built the usual Newtonsoft way (stream, StreamReader, JsonTextReader).</summary>
    [Benchmark]
    public object? ParseWithJsonTextReader()
    {
        using var stream = new MemoryStream(_payload, writable: false);
        using var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        using var json = new Newtonsoft.Json.JsonTextReader(text) { DateParseHandling = Newtonsoft.Json.DateParseHandling.None };
        return Newtonsoft.Json.Linq.JToken.ReadFrom(json);
    }

    [Benchmark]
    public OcppValidationFailure? Validate() => _validator.Validate(Case.Protocol, Case.Action, Case.Kind, _payload);

    private static readonly string[] Measurands =
        ["Energy.Active.Import.Register", "Power.Active.Import", "Current.Import", "Current.Import", "Current.Import", "Voltage", "Voltage", "Voltage"];

    private static readonly string[] Phases = ["", "", "L1", "L2", "L3", "L1-N", "L2-N", "L3-N"];

    private static readonly string[] Units = ["Wh", "W", "A", "A", "A", "V", "V", "V"];

    private static string MeterValues16()
    {
        IEnumerable<string> sampled = Measurands.Select((m, i) =>
            "{\"value\":\"" + (1000 + i) + ".5\",\"context\":\"Sample.Periodic\",\"format\":\"Raw\",\"measurand\":\"" + m + "\","
            + (Phases[i].Length > 0 ? "\"phase\":\"" + Phases[i] + "\"," : "")
            + "\"location\":\"Outlet\",\"unit\":\"" + Units[i] + "\"}");
        return "{\"connectorId\":1,\"transactionId\":4711,\"meterValue\":[{\"timestamp\":\"2024-05-01T12:00:00.000Z\",\"sampledValue\":["
            + string.Join(",", sampled) + "]}]}";
    }

    private static string TransactionEvent201()
    {
        IEnumerable<string> sampled = Measurands.Select((m, i) =>
            "{\"value\":" + (1000 + i) + ".5,\"context\":\"Sample.Periodic\",\"measurand\":\"" + m + "\","
            + (Phases[i].Length > 0 ? "\"phase\":\"" + Phases[i] + "\"," : "")
            + "\"location\":\"Outlet\",\"unitOfMeasure\":{\"unit\":\"" + Units[i] + "\",\"multiplier\":0}}");
        return "{\"eventType\":\"Updated\",\"timestamp\":\"2024-05-01T12:00:00.000Z\",\"triggerReason\":\"MeterValuePeriodic\",\"seqNo\":12,"
            + "\"transactionInfo\":{\"transactionId\":\"0f8e5a2c-7d1b-4c3e-9a6f-123456789abc\",\"chargingState\":\"Charging\"},"
            + "\"evse\":{\"id\":1,\"connectorId\":1},"
            + "\"meterValue\":[{\"timestamp\":\"2024-05-01T12:00:00.000Z\",\"sampledValue\":[" + string.Join(",", sampled) + "]}]}";
    }
}

/// <summary>One benchmark payload (a request unless <paramref name="Kind"/> says otherwise); the name is what the results table shows (BenchmarkDotNet cuts names past 20 characters). "x8" = 8 sampled values.</summary>
public sealed record PayloadCase(string Name, string Protocol, string Action, string Json, OcppPayloadKind Kind = OcppPayloadKind.Request)
{
    public override string ToString() => Name;
}

using System.Text;
using BenchmarkDotNet.Attributes;
using Ocpp.Rpc;
using Ocpp.Rpc.Validation;

namespace Ocpp.Rpc.Benchmarks;

/// <summary>
/// Cost of strict mode per message: <see cref="Read"/> only reads the payload once with <see cref="System.Text.Json.Utf8JsonReader"/>
/// (the floor of any check), <see cref="Validate"/> is strict mode as shipped (the fast accept path), and
/// <see cref="ValidateFully"/> is the full validation alone, the cost of a payload the fast path cannot accept.
/// </summary>
[MemoryDiagnoser]
public class ValidationBenchmarks
{
    private OcppSchemaValidator _validator = null!;
    private OcppSchemaValidator _fullOnly = null!;
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
        _fullOnly = new OcppSchemaValidator { FastPathEnabled = false };
        _fullOnly.Preload();
        _payload = Encoding.UTF8.GetBytes(Case.Json);
        if (_validator.Validate(Case.Protocol, Case.Action, Case.Kind, _payload) is { } failure)
        {
            throw new InvalidOperationException($"Benchmark payload {Case} is invalid: {failure.Description}");
        }
    }

    [Benchmark(Baseline = true)]
    public int Read()
    {
        var reader = new System.Text.Json.Utf8JsonReader(_payload);
        int tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    [Benchmark]
    public OcppValidationFailure? Validate() => _validator.Validate(Case.Protocol, Case.Action, Case.Kind, _payload);

    [Benchmark]
    public OcppValidationFailure? ValidateFully() => _fullOnly.Validate(Case.Protocol, Case.Action, Case.Kind, _payload);

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

using System.Text;

namespace Ocpp.Rpc.Validation.Tests;

public class ConcurrencyTests
{
    private static readonly byte[] ValidMeterValues = Encoding.UTF8.GetBytes(
        "{\"connectorId\":1,\"transactionId\":7,\"meterValue\":[{\"timestamp\":\"2024-01-01T00:00:00Z\",\"sampledValue\":[" +
        "{\"value\":\"1234.5\",\"measurand\":\"Energy.Active.Import.Register\",\"unit\":\"Wh\"}," +
        "{\"value\":\"16.0\",\"measurand\":\"Current.Import\",\"phase\":\"L1\",\"unit\":\"A\"}]}]}");

    private static readonly byte[] InvalidMeterValues = Encoding.UTF8.GetBytes(
        "{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2024-01-01T00:00:00\",\"sampledValue\":[{\"value\":\"1\"}]}]}");

    private static readonly byte[] ValidHeartbeat201 = Encoding.UTF8.GetBytes("{\"currentTime\":\"2024-01-01T00:00:00.000Z\"}");

    [Fact]
    public void Many_threads_validating_the_same_uncompiled_schemas_get_correct_results_and_one_build_each()
    {
        var validator = new OcppSchemaValidator();
        const int Threads = 16;
        const int PerThread = 300;
        int wrong = 0;
        using var start = new Barrier(Threads);

        Thread[] threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < PerThread; i++)
            {
                bool ok = ((i + t) % 3) switch
                {
                    0 => validator.Validate("ocpp1.6", "MeterValues", OcppPayloadKind.Request, ValidMeterValues) is null,
                    1 => validator.Validate("ocpp1.6", "MeterValues", OcppPayloadKind.Request, InvalidMeterValues) is { Code: OcppErrorCode.PropertyConstraintViolation } f
                         && f.Errors.SequenceEqual(["meterValue[0].timestamp: Format"]),
                    _ => validator.Validate("ocpp2.0.1", "Heartbeat", OcppPayloadKind.Response, ValidHeartbeat201) is null,
                };

                if (!ok)
                {
                    Interlocked.Increment(ref wrong);
                }
            }
        })).ToArray();

        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        wrong.Should().Be(0);
        validator.SchemasBuilt.Should().Be(2, "MeterValues 1.6 request and Heartbeat 2.0.1 response, each compiled once");
    }

    [Fact]
    public void Parallel_validation_of_every_action_agrees_with_sequential_validation()
    {
        var validator = new OcppSchemaValidator();
        var work = SchemaFiles.AllSchemas().Select(r => ((string)r[0], (string)r[1], (OcppPayloadKind)r[2])).ToArray();
        var sequential = work.ToDictionary(w => w, w => Describe(Shared.Validator.Validate(w.Item1, w.Item2, w.Item3, "{}"u8)));

        var parallel = new System.Collections.Concurrent.ConcurrentDictionary<(string, string, OcppPayloadKind), string>();
        Parallel.ForEach(work.Concat(work).Concat(work), new ParallelOptions { MaxDegreeOfParallelism = 8 }, w =>
            parallel[w] = Describe(validator.Validate(w.Item1, w.Item2, w.Item3, "{}"u8)));

        parallel.Should().BeEquivalentTo(sequential);
        validator.SchemasBuilt.Should().Be(work.Length);
    }

    [Fact]
    public void Cache_builds_each_schema_once_and_ignores_made_up_actions()
    {
        var validator = new OcppSchemaValidator();

        for (int i = 0; i < 100; i++)
        {
            validator.Validate("ocpp2.1", "Heartbeat", OcppPayloadKind.Request, "{}"u8).Should().BeNull();
            validator.Validate("ocpp2.1", "Heartbeat", OcppPayloadKind.Response, "{}"u8).Should().NotBeNull();
            validator.Validate("ocpp2.1", "MadeUp" + i, OcppPayloadKind.Request, "{}"u8).Should().BeNull();
        }

        validator.SchemasBuilt.Should().Be(2);
    }

    private static string Describe(OcppValidationFailure? failure) =>
        failure is null ? "valid" : $"{failure.Code} {failure.Description} [{string.Join(", ", failure.Errors)}]";
}

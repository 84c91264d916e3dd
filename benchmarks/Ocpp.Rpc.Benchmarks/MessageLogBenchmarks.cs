using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Messages.V16;

namespace Ocpp.Rpc.Benchmarks;

/// <summary>
/// Issue 16's cost target for the OCPP message log, per inbound typed Heartbeat (CALL observed, CALLRESULT observed)
/// over <see cref="SyncLoopbackTransport"/>: <c>Off</c> (no observer), <c>OnNothingListening</c> (an
/// <see cref="OcppMessageLog"/> at its default level on a logger factory without providers: one IsEnabled check per
/// frame) and <c>OnListening</c> (a provider that takes every line and drops it: decoding, redaction check and
/// formatting included). Both connections log through the same factory, so only the observer differs.
/// The target: OnNothingListening within 3 % of Off.
/// </summary>
[MemoryDiagnoser]
public class MessageLogBenchmarks
{
    private static readonly HeartbeatResponse Result = new() { CurrentTime = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero) };

    private ILoggerFactory _logging = null!;
    private OcppMessageLog? _log;
    private SyncLoopbackTransport _link = null!;
    private OcppConnection _csms = null!;
    private byte[] _call = null!;

    [Params("Off", "OnNothingListening", "OnListening")]
    public string Log { get; set; } = "Off";

    [GlobalSetup]
    public void Setup()
    {
        _logging = Log == "OnListening" ? LoggerFactory.Create(b => b.AddProvider(new DroppingProvider())) : LoggerFactory.Create(_ => { });
        _log = Log == "Off" ? null : new OcppMessageLog(OcppMessageLogOptions.Default, _logging);
        _link = new SyncLoopbackTransport(OcppProtocols.Ocpp16);
        _csms = new OcppConnection(_link, OcppConnectionOptions.Default with
        {
            LoggerFactory = _logging,
            MessageObservers = _log is null ? [] : [_log],
        }, identity: "CP-1");
        _csms.Handle<HeartbeatRequest, HeartbeatResponse>(static (_, _) => Result);
        _csms.Start();
        _link.WaitUntilReading();
        _call = Encoding.UTF8.GetBytes($$"""[2,"{{Payloads.Id}}","Heartbeat",{}]""");

        // The first delivery may race with the loop's first await: prime it, then check the synchronous path.
        _link.Deliver(_call);
        if (!SpinWait.SpinUntil(() => _link.Sent == 1, TimeSpan.FromSeconds(10)))
        {
            throw new InvalidOperationException("The first inbound CALL was not answered.");
        }

        _link.WaitUntilReading();
        if (_link.Deliver(_call) != 2)
        {
            throw new InvalidOperationException("The inbound CALL was not answered synchronously.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _csms.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _log?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _logging.Dispose();
    }

    /// <summary>Inbound typed Heartbeat, answered, with the log as <see cref="Log"/> says.</summary>
    [Benchmark]
    public int InboundTypedHeartbeat() => _link.Deliver(_call);

    private sealed class DroppingProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Dropping();

        public void Dispose()
        {
        }

        private sealed class Dropping : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                GC.KeepAlive(formatter(state, exception));
        }
    }
}

using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Ocpp.Rpc.Messages.V16;

namespace Ocpp.Rpc.Benchmarks;

/// <summary>
/// Whole messages through <see cref="OcppConnection"/> over <see cref="SyncLoopbackTransport"/>, a fake link that
/// hands a frame to the receive loop on the caller's thread and answers sends synchronously, so every step of the
/// engine is timed and nothing else (no sockets, no thread hops).
/// Inbound: parse -> handler lookup -> (typed deserialize) -> handler -> (typed serialize) -> CALLRESULT sent.
/// Outbound: CallAsync -> id -> CALL written and sent -> CALLRESULT parsed -> pending call completed -> result.
/// </summary>
[MemoryDiagnoser]
public class DispatchBenchmarks
{
    private static readonly byte[] HeartbeatResult = """{"currentTime":"2025-01-01T12:00:00.000Z"}"""u8.ToArray();
    private static readonly HeartbeatResponse TypedHeartbeatResult = new() { CurrentTime = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero) };
    private static readonly HeartbeatRequest Heartbeat = new();

    private SyncLoopbackTransport _csmsLink = null!;
    private OcppConnection _csms = null!;
    private SyncLoopbackTransport _stationLink = null!;
    private OcppConnection _station = null!;
    private byte[] _rawHeartbeatCall = null!;
    private byte[] _typedHeartbeatCall = null!;
    private byte[] _bootCall = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Server side: answers inbound CALLs; the fake link counts what the engine sends.
        _csmsLink = new SyncLoopbackTransport(OcppProtocols.Ocpp16);
        _csms = new OcppConnection(_csmsLink, identity: "CP-1");
        _csms.Handle("RawHeartbeat", static _ => new ValueTask<OcppReply>(OcppPayload.FromUtf8Json(HeartbeatResult)));
        _csms.Handle<HeartbeatRequest, HeartbeatResponse>(static (_, _) => TypedHeartbeatResult);
        _csms.Handle<BootNotificationRequest, BootNotificationResponse>(static (request, _) => new BootNotificationResponse
        {
            Status = RegistrationStatus.Accepted,
            Interval = 300,
            CurrentTime = TypedHeartbeatResult.CurrentTime,
        });
        _csms.Start();
        _csmsLink.WaitUntilReading();

        _rawHeartbeatCall = Encoding.UTF8.GetBytes($$"""[2,"{{Payloads.Id}}","RawHeartbeat",{}]""");
        _typedHeartbeatCall = Encoding.UTF8.GetBytes($$"""[2,"{{Payloads.Id}}","Heartbeat",{}]""");
        _bootCall = Encoding.UTF8.GetBytes($$"""[2,"{{Payloads.Id}}","BootNotification",{{Payloads.BootNotification16}}]""");

        // Station side: every CALL it sends is answered at once with a CALLRESULT for the same id.
        _stationLink = new SyncLoopbackTransport(OcppProtocols.Ocpp16) { AnswerCalls = HeartbeatResult };
        _station = new OcppConnection(_stationLink, identity: "CP-1");
        _station.Start();
        _stationLink.WaitUntilReading();

        // The first delivery may race with the loop's first await (it then completes on another thread): prime it.
        _csmsLink.Deliver(_rawHeartbeatCall);
        if (!SpinWait.SpinUntil(() => _csmsLink.Sent == 1, TimeSpan.FromSeconds(10)))
        {
            throw new InvalidOperationException("The first inbound CALL was not answered.");
        }

        _csmsLink.WaitUntilReading();
        foreach (byte[] frame in new[] { _rawHeartbeatCall, _typedHeartbeatCall, _bootCall })
        {
            int before = _csmsLink.Sent;
            _csmsLink.Deliver(frame);
            if (_csmsLink.Sent != before + 1 || _csmsLink.LastSent[1] != (byte)'3')
            {
                throw new InvalidOperationException("The inbound CALL was not answered synchronously with a CALLRESULT: " + Encoding.UTF8.GetString(_csmsLink.LastSent));
            }
        }

        if (!_station.CallAsync(Heartbeat).Wait(TimeSpan.FromSeconds(10)) || !_station.CallAsync(Heartbeat).IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("The outbound call did not complete synchronously.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _csms.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _station.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Inbound CALL with a raw handler that answers pre-built UTF-8 JSON.</summary>
    [Benchmark]
    public int InboundRawHeartbeat() => _csmsLink.Deliver(_rawHeartbeatCall);

    /// <summary>Inbound CALL with a typed handler: HeartbeatRequest in, HeartbeatResponse out.</summary>
    [Benchmark]
    public int InboundTypedHeartbeat() => _csmsLink.Deliver(_typedHeartbeatCall);

    /// <summary>Inbound typed BootNotification (7 string fields deserialized; status, interval and time serialized).</summary>
    [Benchmark]
    public int InboundTypedBootNotification() => _csmsLink.Deliver(_bootCall);

    /// <summary>Outbound raw call; the result is a <see cref="JsonElement"/> (a small JsonDocument).</summary>
    [Benchmark]
    public Task<JsonElement> OutboundRawHeartbeat() => _station.CallAsync("Heartbeat");

    /// <summary>Outbound typed call: HeartbeatRequest out, HeartbeatResponse deserialized from the CALLRESULT.</summary>
    [Benchmark]
    public Task<HeartbeatResponse> OutboundTypedHeartbeat() => _station.CallAsync(Heartbeat);
}

using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Messages.V16;

namespace Ocpp.Rpc.Benchmarks;

/// <summary>
/// Issue 14's cost question: an inbound typed Heartbeat answered by a plain delegate versus by a handler class from DI
/// (a new scope per call, the class and a scoped service resolved from it) behind two empty call filters, both over
/// <see cref="SyncLoopbackTransport"/> with the options and handlers that <c>AddOcppServer</c> builds.
/// Run: dotnet run -c Release --project benchmarks/Ocpp.Rpc.Benchmarks -- --filter '*HostedDispatch*'
/// </summary>
[MemoryDiagnoser]
public class HostedDispatchBenchmarks
{
    private static readonly HeartbeatResponse Result = new() { CurrentTime = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero) };

    private ServiceProvider _plainServices = null!;
    private ServiceProvider _diServices = null!;
    private SyncLoopbackTransport _plainLink = null!;
    private SyncLoopbackTransport _diLink = null!;
    private OcppConnection _plain = null!;
    private OcppConnection _di = null!;
    private byte[] _call = null!;

    [GlobalSetup]
    public void Setup()
    {
        _call = Encoding.UTF8.GetBytes($$"""[2,"{{Payloads.Id}}","Heartbeat",{}]""");

        var plain = new ServiceCollection();
        plain.AddOcppServer();
        _plainServices = plain.BuildServiceProvider();
        OcppServer plainServer = _plainServices.GetRequiredService<OcppServer>();
        plainServer.Handle(static (HeartbeatRequest request, OcppCallContext context) => Result);
        (_plainLink, _plain) = Connect(plainServer);

        var di = new ServiceCollection();
        di.AddScoped<Session>();
        di.AddOcppServer().AddHandler<HeartbeatHandler, HeartbeatRequest, HeartbeatResponse>().AddCallFilter<EmptyFilter>().AddCallFilter(new EmptyFilter());
        _diServices = di.BuildServiceProvider();
        (_diLink, _di) = Connect(_diServices.GetRequiredService<OcppServer>());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _di.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _plainServices.DisposeAsync().AsTask().GetAwaiter().GetResult(); // OcppServer is IAsyncDisposable only
        _diServices.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Typed delegate handler, no filters, no scope.</summary>
    [Benchmark(Baseline = true)]
    public int PlainDelegate() => _plainLink.Deliver(_call);

    /// <summary>Handler class resolved from a new DI scope (with a scoped service) behind two empty filters.</summary>
    [Benchmark]
    public int ScopedClassTwoFilters() => _diLink.Deliver(_call);

    // A server connection as OcppServer makes it (its connection options and shared handlers), over the fake link.
    private SyncLoopbackTransport Link(out OcppConnection connection, OcppServer server)
    {
        var link = new SyncLoopbackTransport(OcppProtocols.Ocpp16);
        connection = new OcppConnection(link, server.Options.Connection, "CP-1", server.Handlers);
        connection.Start();
        link.WaitUntilReading();
        return link;
    }

    private (SyncLoopbackTransport, OcppConnection) Connect(OcppServer server)
    {
        SyncLoopbackTransport link = Link(out OcppConnection connection, server);

        // The first delivery may race with the loop's first await: prime it, then check answers are synchronous.
        link.Deliver(_call);
        if (!SpinWait.SpinUntil(() => link.Sent == 1, TimeSpan.FromSeconds(10)))
        {
            throw new InvalidOperationException("The first inbound CALL was not answered.");
        }

        link.WaitUntilReading();
        int before = link.Sent;
        link.Deliver(_call);
        if (link.Sent != before + 1 || link.LastSent[1] != (byte)'3')
        {
            throw new InvalidOperationException("The inbound CALL was not answered synchronously with a CALLRESULT: " + Encoding.UTF8.GetString(link.LastSent));
        }

        return (link, connection);
    }

    public sealed class Session : IDisposable
    {
        public void Dispose()
        {
        }
    }

    public sealed class HeartbeatHandler(Session session) : IOcppHandler<HeartbeatRequest, HeartbeatResponse>
    {
        public ValueTask<HeartbeatResponse> HandleAsync(HeartbeatRequest request, OcppCallContext context)
        {
            GC.KeepAlive(session);
            return ValueTask.FromResult(Result);
        }
    }

    public sealed class EmptyFilter : IOcppCallFilter
    {
        public ValueTask<OcppReply> InvokeAsync(OcppCallContext context, OcppCallHandler next) => next(context);
    }
}

using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ocpp.Rpc.AspNetCore.Tests.Support;
using Ocpp.Rpc.Messages.V201;

namespace Ocpp.Rpc.AspNetCore.Tests.Hosting;

// Handler classes from DI: a new scope per call (a scoped service is one instance per call, disposed after it),
// typed per request, untyped for vendor actions; delegate handlers alongside; registrations that can be removed.
public sealed class DiHandlerTests
{
    // A stand-in for an EF Core DbContext: scoped, disposable, and counting.
    internal sealed class CallScopedStore : IAsyncDisposable
    {
        private static int s_next;

        public int Id { get; } = Interlocked.Increment(ref s_next);

        public ConcurrentBag<int> Disposed { get; set; } = [];

        public bool IsDisposed { get; private set; }

        public ValueTask DisposeAsync()
        {
            IsDisposed = true;
            Disposed.Add(Id);
            return ValueTask.CompletedTask;
        }
    }

    internal sealed class DisposalLog
    {
        public ConcurrentBag<int> Disposed { get; } = [];

        public ConcurrentQueue<(int Store, string Identity)> Calls { get; } = new();
    }

    internal sealed class BootHandler(CallScopedStore store, DisposalLog log) : IOcppHandler<BootNotificationRequest, BootNotificationResponse>, IOcppHandler<HeartbeatRequest, HeartbeatResponse>
    {
        public ValueTask<BootNotificationResponse> HandleAsync(BootNotificationRequest request, OcppCallContext context)
        {
            store.Disposed = log.Disposed;
            context.Services!.GetRequiredService<CallScopedStore>().Should().BeSameAs(store, "the handler and the context share the call's scope");
            log.Calls.Enqueue((store.Id, context.Identity));
            return ValueTask.FromResult(new BootNotificationResponse
            {
                Status = RegistrationStatusEnumType.Accepted,
                Interval = store.Id,
                CurrentTime = DateTimeOffset.UnixEpoch,
            });
        }

        public ValueTask<HeartbeatResponse> HandleAsync(HeartbeatRequest request, OcppCallContext context) =>
            ValueTask.FromResult(new HeartbeatResponse { CurrentTime = DateTimeOffset.UnixEpoch.AddSeconds(store.Id) });
    }

    internal sealed class VendorHandler(CallScopedStore store) : IOcppActionHandler
    {
        public ValueTask<OcppReply> HandleAsync(OcppCallContext context) =>
            new(OcppPayload.FromJson($$"""{"store":{{store.Id}},"echo":{{context.PayloadElement.GetRawText()}}}"""));
    }

    private static Task<HostedApp> StartAsync(Action<IOcppServerBuilder> ocpp) => HostedApp.StartAsync(builder =>
    {
        builder.Services.AddScoped<CallScopedStore>();
        builder.Services.AddSingleton<DisposalLog>();
        ocpp(builder.Services.AddOcppServer());
    });

    private static BootNotificationRequest Boot() => new()
    {
        Reason = BootReasonEnumType.PowerUp,
        ChargingStation = new ChargingStationType { Model = "X1", VendorName = "Acme" },
    };

    [Fact]
    public async Task Each_call_gets_a_new_scope_whose_scoped_service_is_disposed_after_the_reply()
    {
        await using HostedApp host = await StartAsync(ocpp => ocpp.AddHandler<BootHandler>());
        DisposalLog log = host.App.Services.GetRequiredService<DisposalLog>();
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-1"), [OcppProtocols.Ocpp201]);

        BootNotificationResponse first = await station.CallAsync(Boot());
        BootNotificationResponse second = await station.CallAsync(Boot());

        first.Status.Should().Be(RegistrationStatusEnumType.Accepted);
        second.Interval.Should().NotBe(first.Interval, "each call resolves its handler from a scope of its own");
        await Await.UntilAsync(() => log.Disposed.Contains(first.Interval) && log.Disposed.Contains(second.Interval));
        log.Calls.Select(c => c.Identity).Should().Equal("CP-1", "CP-1");

        // One class handles several requests (here a second action), each on its request's action and protocol.
        HeartbeatResponse heartbeat = await station.CallAsync(new HeartbeatRequest());
        heartbeat.CurrentTime.Should().BeAfter(DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public async Task An_untyped_handler_class_serves_a_vendor_action_and_delegates_work_beside_classes()
    {
        await using HostedApp host = await StartAsync(ocpp => ocpp.AddHandler<VendorHandler>("AcmeDiagnostics", OcppProtocols.Ocpp201));
        host.Server.Handle((StatusNotificationRequest request, OcppCallContext context) => new StatusNotificationResponse());
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-2"), [OcppProtocols.Ocpp201]);

        JsonElement vendor = await station.CallAsync("AcmeDiagnostics", OcppPayload.FromJson("""{"level":3}"""));
        vendor.GetProperty("echo").GetProperty("level").GetInt32().Should().Be(3);
        vendor.GetProperty("store").GetInt32().Should().BePositive();

        StatusNotificationResponse status = await station.CallAsync(new StatusNotificationRequest
        {
            Timestamp = DateTimeOffset.UnixEpoch,
            ConnectorStatus = ConnectorStatusEnumType.Available,
            EvseId = 1,
            ConnectorId = 1,
        });
        status.Should().NotBeNull();
    }

    [Fact]
    public async Task A_delegate_handler_gets_a_scope_only_when_it_asks_for_services()
    {
        await using HostedApp host = await StartAsync(_ => { });
        DisposalLog log = host.App.Services.GetRequiredService<DisposalLog>();
        int? storeId = null;
        host.Server.Handle((HeartbeatRequest request, OcppCallContext context) =>
        {
            CallScopedStore store = context.Services!.GetRequiredService<CallScopedStore>();
            store.Disposed = log.Disposed;
            storeId = store.Id;
            return new HeartbeatResponse { CurrentTime = DateTimeOffset.UnixEpoch };
        });
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-3"), [OcppProtocols.Ocpp201]);

        await station.CallAsync(new HeartbeatRequest());

        await Await.UntilAsync(() => storeId is { } id && log.Disposed.Contains(id));
    }

    [Fact]
    public async Task Disposing_a_registration_removes_the_handler_from_the_server()
    {
        await using HostedApp host = await StartAsync(_ => { });
        IDisposable registration = host.Server.Handle((HeartbeatRequest request, OcppCallContext context) => new HeartbeatResponse { CurrentTime = DateTimeOffset.UnixEpoch });
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-4"), [OcppProtocols.Ocpp201]);
        (await station.CallAsync(new HeartbeatRequest())).CurrentTime.Should().Be(DateTimeOffset.UnixEpoch);

        registration.Dispose();

        await FluentActions.Awaiting(() => station.CallAsync(new HeartbeatRequest())).Should().ThrowAsync<OcppNotImplementedException>();
    }

    [Fact]
    public async Task Two_handler_classes_for_one_action_stop_the_start()
    {
        Func<Task> start = () => StartAsync(ocpp => ocpp.AddHandler<BootHandler>().AddHandler<SecondBoot, BootNotificationRequest, BootNotificationResponse>());
        (await start.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("BootNotification").And.Contain(nameof(BootHandler)).And.Contain(nameof(SecondBoot));
    }

    [Fact]
    public void A_class_without_a_handler_interface_is_refused()
    {
        var services = new ServiceCollection();
        FluentActions.Invoking(() => services.AddOcppServer().AddHandler<DisposalLog>()).Should().Throw<ArgumentException>().WithMessage("*DisposalLog*");
    }

    [Fact]
    public async Task Assembly_scanning_adds_the_handler_classes_it_finds()
    {
        var services = new ServiceCollection();
        services.AddOcppServer().AddHandlersFromAssembly(typeof(DiHandlerTests).Assembly);
        services.Should().Contain(d => d.ServiceType == typeof(BootHandler) && d.Lifetime == ServiceLifetime.Scoped);
        services.Should().Contain(d => d.ServiceType == typeof(SecondBoot));
        await Task.CompletedTask;
    }

    internal sealed class SecondBoot : IOcppHandler<BootNotificationRequest, BootNotificationResponse>
    {
        public ValueTask<BootNotificationResponse> HandleAsync(BootNotificationRequest request, OcppCallContext context) =>
            ValueTask.FromResult(new BootNotificationResponse { Status = RegistrationStatusEnumType.Rejected, Interval = 1, CurrentTime = DateTimeOffset.UnixEpoch });
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Ocpp.Rpc.AspNetCore.Tests.Support;
using Ocpp.Rpc.Client;

namespace Ocpp.Rpc.AspNetCore.Tests.Hosting;

// Filters, message observers and health checks registered through AddOcppServer, over real sockets.
public sealed class DiFilterTests
{
    internal sealed class Trace
    {
        public ConcurrentQueue<string> Steps { get; } = new();
    }

    internal sealed class FirstFilter(Trace trace) : IOcppCallFilter
    {
        public async ValueTask<OcppReply> InvokeAsync(OcppCallContext context, OcppCallHandler next)
        {
            trace.Steps.Enqueue($"first>{context.Identity}|{context.Protocol}|{context.Action}|{context.MessageId}");
            OcppReply reply = await next(context);
            trace.Steps.Enqueue("<first");
            return reply;
        }
    }

    // Boot gating as the next policies will build it: nothing but BootNotification before a boot.
    internal sealed class BootGate(Trace trace) : IOcppCallFilter
    {
        public ValueTask<OcppReply> InvokeAsync(OcppCallContext context, OcppCallHandler next)
        {
            trace.Steps.Enqueue("gate");
            if (context.Action == "Explode")
            {
                throw new InvalidOperationException("filter bug");
            }

            return context.Action == "BootNotification" || context.Connection.Items.ContainsKey("booted")
                ? next(context)
                : throw new OcppSecurityErrorException("Boot first.");
        }
    }

    // The other half of boot gating: no calls to a station the CSMS rejected.
    internal sealed class RejectedGate(Trace trace) : IOcppOutboundCallFilter
    {
        public ValueTask<OcppCallResult> InvokeAsync(OcppOutboundCallContext context, OcppOutboundCallHandler next)
        {
            trace.Steps.Enqueue($"out>{context.Identity}|{context.Protocol}|{context.Action}|{context.MessageId}");
            return context.Connection.Items.ContainsKey("rejected")
                ? throw new OcppSecurityErrorException("The station is rejected.")
                : next(context);
        }
    }

    internal sealed class Frames : IOcppMessageObserver
    {
        public ConcurrentQueue<string> Seen { get; } = new();

        public void OnMessage(OcppConnection connection, OcppDirection direction, ReadOnlySpan<byte> message) =>
            Seen.Enqueue($"{connection.Identity} {direction} {Encoding.UTF8.GetString(message)}");
    }

    [Fact]
    public async Task Filters_from_DI_run_in_order_short_circuit_and_turn_their_exceptions_into_InternalError()
    {
        var frames = new Frames();
        await using HostedApp host = await HostedApp.StartAsync(builder =>
        {
            builder.Services.AddSingleton<Trace>();
            builder.Services.AddOcppServer().AddCallFilter<FirstFilter>().AddCallFilter<BootGate>().AddMessageObserver(frames);
        });
        Trace trace = host.App.Services.GetRequiredService<Trace>();
        host.Server.Handle("BootNotification", ctx =>
        {
            ctx.Connection.Items["booted"] = true;
            trace.Steps.Enqueue("handler");
            return new ValueTask<OcppReply>(OcppPayload.FromJson("""{"status":"Accepted","interval":10,"currentTime":"2025-01-01T00:00:00Z"}"""));
        });
        host.Server.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppPayload.FromJson("""{"currentTime":"2025-01-01T00:00:00Z"}""")));
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-9"), [OcppProtocols.Ocpp16]);

        (await FluentActions.Awaiting(() => station.CallAsync("Heartbeat", options: new OcppCallOptions { MessageId = "hb-1" })).Should().ThrowAsync<OcppSecurityErrorException>())
            .Which.Description.Should().Be("Boot first.");
        trace.Steps.Should().Equal("first>CP-9|ocpp1.6|Heartbeat|hb-1", "gate");

        await station.CallAsync("BootNotification", OcppPayload.FromJson("""{"chargePointVendor":"Acme","chargePointModel":"X1"}"""), new OcppCallOptions { MessageId = "b-1" });
        trace.Steps.Skip(2).Should().Equal("first>CP-9|ocpp1.6|BootNotification|b-1", "gate", "handler", "<first");
        (await station.CallAsync("Heartbeat")).GetProperty("currentTime").GetString().Should().Be("2025-01-01T00:00:00Z");

        await FluentActions.Awaiting(() => station.CallAsync("Explode")).Should().ThrowAsync<OcppInternalErrorException>();
        station.State.Should().Be(OcppConnectionState.Open);

        // The server-wide observer saw the station's frames both ways, the refused one included.
        await Await.UntilAsync(() => frames.Seen.Count >= 8);
        frames.Seen.First().Should().Be("""CP-9 Inbound [2,"hb-1","Heartbeat",{}]""");
        frames.Seen.Should().Contain(f => f.StartsWith("CP-9 Outbound [4,\"hb-1\",\"SecurityError\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Outbound_filters_from_DI_see_every_call_to_a_station_and_refuse_calls_to_a_rejected_one()
    {
        await using HostedApp host = await HostedApp.StartAsync(builder =>
        {
            builder.Services.AddSingleton<Trace>();
            builder.Services.AddOcppServer().AddOutboundCallFilter<RejectedGate>();
        });
        Trace trace = host.App.Services.GetRequiredService<Trace>();
        int resets = 0;
        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-O"), [OcppProtocols.Ocpp16], setup: c => c.Handle("Reset", _ =>
        {
            Interlocked.Increment(ref resets);
            return new ValueTask<OcppReply>(OcppPayload.FromJson("""{"status":"Accepted"}"""));
        }));
        await Await.UntilAsync(() => host.Server.ConnectionCount == 1);

        JsonElement accepted = await host.Server.CallAsync("CP-O", "Reset", OcppPayload.FromJson("""{"type":"Soft"}"""), new OcppCallOptions { MessageId = "r-1" });
        host.Server.GetConnection("CP-O").Items["rejected"] = true;
        await FluentActions.Awaiting(() => host.Server.CallAsync("CP-O", "Reset", OcppPayload.FromJson("""{"type":"Hard"}"""), new OcppCallOptions { MessageId = "r-2" }))
            .Should().ThrowAsync<OcppSecurityErrorException>();

        accepted.GetProperty("status").GetString().Should().Be("Accepted");
        trace.Steps.Should().Equal("out>CP-O|ocpp1.6|Reset|r-1", "out>CP-O|ocpp1.6|Reset|r-2");
        resets.Should().Be(1, "the refused call never reached the station");
    }

    [Fact]
    public async Task A_client_side_observer_in_the_connection_options_survives_reconnects()
    {
        await using HostedApp host = await HostedApp.StartAsync(builder => builder.Services.AddOcppServer());
        host.Server.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppPayload.FromJson("""{"currentTime":"2025-01-01T00:00:00Z"}""")));
        var frames = new Frames();
        await using var client = new OcppClient(new OcppClientOptions
        {
            Endpoint = new Uri($"ws://127.0.0.1:{host.Port}/ocpp"),
            Identity = "CP-R",
            Protocols = [OcppProtocols.Ocpp16],
            Reconnect = new OcppReconnectOptions { WaitMinimum = TimeSpan.FromMilliseconds(50), RandomRange = TimeSpan.Zero },
            Connection = OcppConnectionOptions.Default with { MessageObservers = [frames] },
        });
        await client.ConnectAsync();
        await client.CallAsync("Heartbeat");
        OcppConnection first = client.Connection!;

        await host.Server.GetConnection("CP-R").CloseAsync(new OcppCloseOptions { Force = true });
        await Await.UntilAsync(() => client.Connection is { State: OcppConnectionState.Open } c && !ReferenceEquals(c, first));
        await client.CallAsync("Heartbeat");

        frames.Seen.Count(f => f.StartsWith("CP-R Outbound [2,", StringComparison.Ordinal)).Should().Be(2, "both connections' calls were observed without subscribing again");
        frames.Seen.Count(f => f.StartsWith("CP-R Inbound [3,", StringComparison.Ordinal)).Should().Be(2);
    }

    [Fact]
    public async Task Health_check_reports_healthy_degraded_at_the_connection_limit_and_unhealthy_without_an_endpoint()
    {
        await using HostedApp host = await HostedApp.StartAsync(
            builder => builder.Services.AddOcppServer(o => o with { MaxConnections = 1 }).AddHealthChecks(),
            app =>
            {
                app.MapOcpp("/ocpp");
                app.MapHealthChecks("/health");
            });
        using var http = new HttpClient();
        HttpResponseMessage healthy = await http.GetAsync(host.Http("/health"));
        (healthy.StatusCode, await healthy.Content.ReadAsStringAsync()).Should().Be((HttpStatusCode.OK, "Healthy"));

        await using OcppConnection station = await Station.ConnectAsync(host.Url("CP-H"));
        await Await.UntilAsync(() => host.Server.ConnectionCount == 1);
        HttpResponseMessage degraded = await http.GetAsync(host.Http("/health"));
        (degraded.StatusCode, await degraded.Content.ReadAsStringAsync()).Should().Be((HttpStatusCode.OK, "Degraded"));

        await using HostedApp unmapped = await HostedApp.StartAsync(
            builder => builder.Services.AddHealthChecks().AddOcpp().Services.AddOcppServer(),
            app => app.MapHealthChecks("/health"));
        HttpResponseMessage unhealthy = await http.GetAsync(unmapped.Http("/health"));
        (unhealthy.StatusCode, await unhealthy.Content.ReadAsStringAsync()).Should().Be((HttpStatusCode.ServiceUnavailable, "Unhealthy"));
    }

    [Fact]
    public async Task Health_check_data_names_the_counts()
    {
        await using HostedApp host = await HostedApp.StartAsync(builder => builder.Services.AddOcppServer().AddHealthChecks());
        var service = host.App.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>();
        var report = await service.CheckHealthAsync();
        var entry = report.Entries["ocpp"];
        entry.Status.Should().Be(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy);
        entry.Data["connections"].Should().Be(0);
        entry.Data["maxConnections"].Should().Be(OcppServerOptions.Default.MaxConnections);
        JsonSerializer.Serialize(entry.Data["node"]).Should().NotBeEmpty();
    }
}

using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Ocpp.Rpc.AspNetCore.Tests.Support;

namespace Ocpp.Rpc.AspNetCore.Tests;

/// <summary>
/// Traces reach an OpenTelemetry exporter configured as the README says (<c>AddSource("Ocpp.Rpc")</c>, default
/// sampler) on both server paths: every inbound and outbound message is its own trace root, linked to the activity its
/// connection was started under, not a child of the WebSocket request's long-lived (and unrecorded) activity.
/// </summary>
public sealed class TracingTests
{
    [Fact]
    public async Task Under_MapOcpp_each_message_is_its_own_exported_trace_linked_to_the_connection()
    {
        var exported = new List<Activity>();
        using TracerProvider tracing = Sdk.CreateTracerProviderBuilder().AddSource("Ocpp.Rpc").AddInMemoryExporter(exported).Build()!;
        ActivityContext? request = null;

        await using HostedApp app = await HostedApp.StartAsync(builder =>
        {
            builder.Logging.AddProvider(new EnabledLoggerProvider()); // As in a real app: hosting then makes a request activity.
            builder.Services.AddOcppServer(o => o with
            {
                Authenticate = (h, _) =>
                {
                    request = Activity.Current?.Context;
                    return ValueTask.FromResult(OcppAuthResult.Accept());
                },
            });
        });
        OcppServer server = app.Server;
        server.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppPayload.FromJson("""{"currentTime":"2025-01-01T00:00:00Z"}""")));

        await ExchangeAsync(server, app.Url("CP-TRACE-HOSTED"), "CP-TRACE-HOSTED");
        request.Should().NotBeNull("hosting ran the handshake under a request activity (the case that lost every trace)");
        request!.Value.TraceFlags.Should().NotHaveFlag(ActivityTraceFlags.Recorded, "nothing samples the request itself");

        tracing.ForceFlush();
        AssertRootsLinkedTo(exported, "CP-TRACE-HOSTED", request.Value);
    }

    [Fact]
    public async Task Standalone_each_message_is_its_own_exported_trace_too()
    {
        var exported = new List<Activity>();
        using TracerProvider tracing = Sdk.CreateTracerProviderBuilder().AddSource("Ocpp.Rpc").AddInMemoryExporter(exported).Build()!;
        await using TestServer server = await TestServer.StartAsync(setup: s =>
            s.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppPayload.FromJson("""{"currentTime":"2025-01-01T00:00:00Z"}"""))));

        await ExchangeAsync(server.Server, server.Url("CP-TRACE-ALONE"), "CP-TRACE-ALONE");

        tracing.ForceFlush();
        AssertRootsLinkedTo(exported, "CP-TRACE-ALONE", null);
    }

    [Fact]
    public async Task A_call_made_under_another_activity_stays_its_child()
    {
        var exported = new List<Activity>();
        using TracerProvider tracing = Sdk.CreateTracerProviderBuilder().AddSource("Ocpp.Rpc", "Test.Api").AddInMemoryExporter(exported).Build()!;
        using var api = new ActivitySource("Test.Api");
        await using TestServer server = await TestServer.StartAsync();
        await using OcppConnection station = await Station.ConnectAsync(server.Url("CP-TRACE-CHILD"), setup: s =>
            s.Handle("Reset", _ => new ValueTask<OcppReply>(OcppPayload.FromJson("""{"status":"Accepted"}"""))));
        await Await.UntilAsync(() => server.Server.TryGetConnection("CP-TRACE-CHILD", out _));

        ActivityContext parent;
        using (Activity endpoint = api.StartActivity("POST /stations/reset")!)
        {
            parent = endpoint.Context;
            await server.Server.CallAsync("CP-TRACE-CHILD", "Reset", OcppPayload.FromJson("""{"type":"Soft"}"""));
        }

        tracing.ForceFlush();
        Activity call = exported.Single(a => a.DisplayName == "ocpp.call Reset" && Identity(a) == "CP-TRACE-CHILD" && a.Kind == ActivityKind.Client);
        call.ParentSpanId.Should().Be(parent.SpanId, "a call made while serving an API request belongs to that request's trace");
        call.TraceId.Should().Be(parent.TraceId);
    }

    // The station calls Heartbeat (an inbound message for the server), then the server calls the station (outbound).
    private static async Task ExchangeAsync(OcppServer server, Uri url, string identity)
    {
        await using OcppConnection station = await Station.ConnectAsync(url, [OcppProtocols.Ocpp16], setup: s =>
            s.Handle("Reset", _ => new ValueTask<OcppReply>(OcppPayload.FromJson("""{"status":"Accepted"}"""))));
        await station.CallAsync("Heartbeat");
        await Await.UntilAsync(() => server.TryGetConnection(identity, out _));
        await server.CallAsync(identity, "Reset", OcppPayload.FromJson("""{"type":"Soft"}"""));
        await station.CloseAsync();
    }

    private static void AssertRootsLinkedTo(List<Activity> exported, string identity, ActivityContext? connection)
    {
        // The station side runs in this process too: only the server's activities (handle Heartbeat, call Reset).
        Activity handled = exported.Single(a => a.DisplayName == "ocpp.handle Heartbeat" && Identity(a) == identity);
        Activity called = exported.Single(a => a.DisplayName == "ocpp.call Reset" && Identity(a) == identity);
        foreach (Activity message in new[] { handled, called })
        {
            message.ParentSpanId.Should().Be(default(ActivitySpanId), "{0} is a trace root", message.DisplayName);
            message.Recorded.Should().BeTrue();
            if (connection is { } linked)
            {
                message.Links.Select(l => l.Context.SpanId).Should().Contain(linked.SpanId, "it links to the connection's request");
            }
        }

        handled.TraceId.Should().NotBe(called.TraceId, "two messages, two traces");
    }

    private static string? Identity(Activity activity) => activity.GetTagItem("ocpp.identity") as string;

    private sealed class EnabledLoggerProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Enabled();

        public void Dispose()
        {
        }

        private sealed class Enabled : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
            }
        }
    }
}

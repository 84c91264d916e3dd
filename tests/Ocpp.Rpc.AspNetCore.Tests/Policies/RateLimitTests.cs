using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using Ocpp.Rpc.AspNetCore.Tests.Support;

namespace Ocpp.Rpc.AspNetCore.Tests.Policies;

// The per-station call rate (OcppServerOptions.CallRateLimit) and the per-address handshake rate
// (OcppServerOptions.HandshakeRateLimit) over real Kestrel and real stations, per version.
public sealed class RateLimitTests
{
    public static TheoryData<string> Versions => PolicyCsms.EachVersion;

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Calls_beyond_the_burst_get_the_configured_CALLERROR_with_a_retry_hint_and_a_reconnect_gets_a_fresh_bucket(string protocol)
    {
        await using HostedApp host = await PolicyCsms.StartAsync(new()
        {
            ["Ocpp:CallRateLimit:PermitsPerPeriod"] = "1",
            ["Ocpp:CallRateLimit:Period"] = "00:10:00",
            ["Ocpp:CallRateLimit:Burst"] = "2",
            ["Ocpp:CallRateLimit:WhenExceeded"] = "Reject",
        });
        await using (OcppConnection station = await PolicyCsms.ConnectAsync(host, "flood", protocol))
        {
            await station.CallAsync("Heartbeat");
            await station.CallAsync("Heartbeat");
            OcppRpcException error = (await FluentActions.Awaiting(() => station.CallAsync("Heartbeat")).Should().ThrowAsync<OcppGenericErrorException>()).Which;
            error.WireCode.Should().Be("GenericError");
            error.Description.Should().StartWith("Rate limit exceeded (1 calls per 00:10:00); retry in ");
            error.Details!.Value.GetProperty("retryAfterSeconds").GetDouble().Should().BeGreaterThan(0);

            // Another station has its own bucket.
            await using OcppConnection bystander = await PolicyCsms.ConnectAsync(host, "bystander", protocol);
            await bystander.CallAsync("Heartbeat");
            await station.CloseAsync();
        }

        await Await.UntilAsync(() => !host.Server.TryGetConnection("flood", out _));
        await using OcppConnection again = await PolicyCsms.ConnectAsync(host, "flood", protocol);
        await again.CallAsync("Heartbeat");
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task A_station_that_waits_before_its_first_calls_gets_its_burst_not_more(string protocol)
    {
        await using HostedApp host = await PolicyCsms.StartAsync(new()
        {
            ["Ocpp:CallRateLimit:PermitsPerPeriod"] = "1",
            ["Ocpp:CallRateLimit:Period"] = "00:00:01",
            ["Ocpp:CallRateLimit:Burst"] = "5",
            ["Ocpp:CallRateLimit:WhenExceeded"] = "Reject",
        });
        await using OcppConnection station = await PolicyCsms.ConnectAsync(host, "patient", protocol, concurrency: 12);

        // The scenario, not a synchronisation: 1.5 s of quiet after connecting is refill time worth 1.5 tokens, which
        // a full bucket must not hand out on top of its burst (a bucket made at connect did: 6 calls went through).
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Task[] calls = [.. Enumerable.Range(0, 12).Select(_ => station.CallAsync("Heartbeat"))];
        try
        {
            await Task.WhenAll(calls);
        }
        catch (OcppGenericErrorException)
        {
            // Counted below.
        }

        // The burst exactly (the next token would take a second while the twelve calls arrive within milliseconds).
        calls.Count(c => c.IsCompletedSuccessfully).Should().Be(5);
        calls.Where(c => !c.IsCompletedSuccessfully).Should().AllSatisfy(c => c.Exception!.InnerException.Should().BeOfType<OcppGenericErrorException>());
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task By_default_calls_beyond_the_rate_wait_for_a_token_in_order_and_are_all_answered(string protocol)
    {
        await using HostedApp host = await PolicyCsms.StartAsync(new()
        {
            ["Ocpp:CallRateLimit:PermitsPerPeriod"] = "10",
            ["Ocpp:CallRateLimit:Period"] = "00:00:01",
            ["Ocpp:CallRateLimit:Burst"] = "1",
        });
        host.Server.Options.CallRateLimit!.WhenExceeded.Should().Be(OcppRateLimitExceededAction.Wait);
        var order = new System.Collections.Concurrent.ConcurrentQueue<string>();
        int read = 0, maxWaiting = 0;
        host.Server.StationConnected += (_, e) => e.Connection.CallReceived += (_, _) =>
        {
            // Read but not yet handled: the waiting call and, at most, the one read as it was let through.
            int waiting = Interlocked.Increment(ref read) - order.Count;
            InterlockedMax(ref maxWaiting, waiting);
        };
        host.Server.Handle("DataTransfer", ctx =>
        {
            order.Enqueue(ctx.MessageId);
            return PolicyCsms.Reply("""{"status":"Accepted"}""");
        });

        await using OcppConnection station = await PolicyCsms.ConnectAsync(host, "eager", protocol, concurrency: 6);
        var clock = Stopwatch.StartNew();
        Task[] calls = [.. Enumerable.Range(1, 6).Select(i => station.CallAsync("DataTransfer", OcppPayload.FromJson("""{"vendorId":"x"}"""), new OcppCallOptions { MessageId = "m" + i }))];
        await Task.WhenAll(calls);

        // One token at once, then one per 100 ms: five calls waited about 500 ms in all (a lower bound only, less
        // the timers' rounding).
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(450));
        order.Should().Equal("m1", "m2", "m3", "m4", "m5", "m6");

        // The connection stopped reading while a call waited, instead of reading all six and parking five.
        Volatile.Read(ref maxWaiting).Should().BeLessThanOrEqualTo(2);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var now && now != seen)
        {
            seen = now;
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Handshakes_beyond_the_per_address_rate_get_429_with_Retry_After(string protocol)
    {
        await using HostedApp host = await PolicyCsms.StartAsync(new()
        {
            ["Ocpp:HandshakeRateLimit:PermitsPerPeriod"] = "1",
            ["Ocpp:HandshakeRateLimit:Period"] = "00:01:00",
            ["Ocpp:HandshakeRateLimit:Burst"] = "2",
        });
        var rejected = new TaskCompletionSource<OcppHandshakeRejectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Server.HandshakeRejected += (_, e) => rejected.TrySetResult(e);

        await using (OcppConnection first = await PolicyCsms.ConnectAsync(host, "storm", protocol))
        {
            await first.CallAsync("Heartbeat");
        }

        // The reconnect of the same station is the second handshake of the address: still within the burst.
        await using OcppConnection second = await PolicyCsms.ConnectAsync(host, "storm", protocol);
        await second.CallAsync("Heartbeat");

        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.AddSubProtocol(protocol);
        await FluentActions.Awaiting(() => socket.ConnectAsync(host.Url("storm-2"), CancellationToken.None)).Should().ThrowAsync<WebSocketException>();
        socket.HttpStatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        int retryAfter = int.Parse(socket.HttpResponseHeaders!["Retry-After"].Single(), System.Globalization.CultureInfo.InvariantCulture);
        retryAfter.Should().BeInRange(1, 60);
        (await rejected.Task.WaitAsync(Await.Timeout)).StatusCode.Should().Be(429);

        // The connected station is not affected.
        await second.CallAsync("Heartbeat");
    }

    [Fact]
    public async Task Bad_rate_settings_stop_the_start_naming_their_keys()
    {
        Func<Task> start = () => PolicyCsms.StartAsync(new()
        {
            ["Ocpp:CallRateLimit:PermitsPerPeriod"] = "0",
            ["Ocpp:CallRateLimit:Period"] = "00:00:00",
            ["Ocpp:HandshakeRateLimit:Burst"] = "0",
            ["Ocpp:HandshakeRateLimit:Bogus"] = "1",
        });
        (await start.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>()).Which.Failures.Should().Contain(f => f.StartsWith("Ocpp:HandshakeRateLimit:Bogus is not a setting here", StringComparison.Ordinal));

        Func<Task> ranges = () => PolicyCsms.StartAsync(new()
        {
            ["Ocpp:CallRateLimit:PermitsPerPeriod"] = "0",
            ["Ocpp:CallRateLimit:Period"] = "00:00:00",
            ["Ocpp:HandshakeRateLimit:Burst"] = "0",
        });
        (await ranges.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>()).Which.Failures.Should().BeEquivalentTo(
            "Ocpp:CallRateLimit:PermitsPerPeriod must be at least 1 (is 0).",
            "Ocpp:CallRateLimit:Period must be positive (is 00:00:00).",
            "Ocpp:HandshakeRateLimit:Burst must be at least 1 (is 0).");

        FluentActions.Invoking(() => new OcppServer(OcppServerOptions.Default with { CallRateLimit = new OcppCallRateLimitOptions { Burst = 0 } }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("OcppServerOptions.CallRateLimit.Burst must be at least 1 (is 0).*");
    }

    [Fact]
    public async Task A_policy_section_can_be_switched_off_again_by_a_later_source()
    {
        await using HostedApp host = await PolicyCsms.StartAsync(new()
        {
            ["Ocpp:CallRateLimit:Burst"] = "5",
            ["Ocpp:CallRateLimit:Enabled"] = "false",
            ["Ocpp:HandshakeRateLimit"] = "true",
            ["Ocpp:MessageLog"] = "false",
        });
        host.Server.Options.CallRateLimit.Should().BeNull();
        host.Server.Options.HandshakeRateLimit.Should().Be(OcppHandshakeRateLimitOptions.Default);
        host.Server.Options.MessageLog.Should().BeNull();
    }
}

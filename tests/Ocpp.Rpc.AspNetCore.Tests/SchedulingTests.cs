using System.Diagnostics;
using Ocpp.Rpc.AspNetCore.Tests.Support;

namespace Ocpp.Rpc.AspNetCore.Tests;

// PreferInlineScheduling runs handlers on the thread that completed the socket read: stations must still not wait
// for one another, even behind a handler that blocks its thread.
public class SchedulingTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_handler_that_blocks_its_thread_holds_up_only_its_own_station(bool inline)
    {
        using var release = new ManualResetEventSlim();
        using var blocked = new SemaphoreSlim(0);
        await using TestServer host = await TestServer.StartAsync(OcppServerOptions.Default with { PreferInlineScheduling = inline }, server =>
        {
            server.Handle("DataTransfer", _ =>
            {
                blocked.Release();
                release.Wait(TimeSpan.FromSeconds(30)); // Synchronous on purpose: no await gives the thread back.
                return new ValueTask<OcppReply>(OcppPayload.FromJson("""{"status":"Accepted"}"""));
            });
            server.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppPayload.FromJson("""{"currentTime":"2025-01-01T00:00:00Z"}""")));
        });

        var stations = new List<OcppConnection>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                stations.Add(await Station.ConnectAsync(host.Url($"CP-{i}")));
            }

            // Block a handler thread on each of two stations (as many as this machine has cores), then expect the
            // others to be answered promptly, many times over.
            Task[] stuck = [stations[0].CallAsync("DataTransfer", OcppPayload.FromJson("""{"vendorId":"x"}""")), stations[1].CallAsync("DataTransfer", OcppPayload.FromJson("""{"vendorId":"x"}"""))];
            (await blocked.WaitAsync(Await.Timeout)).Should().BeTrue();
            (await blocked.WaitAsync(Await.Timeout)).Should().BeTrue();

            var watch = Stopwatch.StartNew();
            for (int i = 0; i < 50; i++)
            {
                await Task.WhenAll(stations[2].CallAsync("Heartbeat"), stations[3].CallAsync("Heartbeat")).WaitAsync(Await.Timeout);
            }

            watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
            stuck.Should().OnlyContain(t => !t.IsCompleted);

            release.Set();
            await Task.WhenAll(stuck).WaitAsync(Await.Timeout);
        }
        finally
        {
            release.Set();
            foreach (OcppConnection station in stations)
            {
                await station.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Inline_scheduling_serves_many_calls_in_flight_on_many_stations()
    {
        await using TestServer host = await TestServer.StartAsync(OcppServerOptions.Default with { PreferInlineScheduling = true }, server =>
            server.Handle("Heartbeat", async ctx =>
            {
                await Task.Yield(); // Asynchronous handlers continue off the socket thread; replies still arrive.
                return OcppPayload.FromJson($$"""{"currentTime":"2025-01-01T00:00:00Z","id":"{{ctx.MessageId}}"}""");
            }));

        var stations = new List<OcppConnection>();
        try
        {
            for (int i = 0; i < 8; i++)
            {
                stations.Add(await Station.ConnectAsync(host.Url($"CP-{i}"), options: OcppConnectionOptions.Default with { CallConcurrency = 16 }));
            }

            var calls = new List<Task<System.Text.Json.JsonElement>>();
            foreach (OcppConnection station in stations)
            {
                for (int i = 0; i < 64; i++)
                {
                    calls.Add(station.CallAsync("Heartbeat"));
                }
            }

            System.Text.Json.JsonElement[] results = await Task.WhenAll(calls).WaitAsync(Await.Timeout);
            results.Select(r => r.GetProperty("id").GetString()).Should().OnlyHaveUniqueItems().And.HaveCount(8 * 64);
        }
        finally
        {
            foreach (OcppConnection station in stations)
            {
                await station.DisposeAsync();
            }
        }
    }
}

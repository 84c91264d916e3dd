using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ocpp.Rpc.Clustering;
using StackExchange.Redis;
using Ocpp.Rpc.Clustering.Specs;
using ClusterNode = Ocpp.Rpc.Clustering.Specs.ClusterNode;

namespace Ocpp.Rpc.Redis.Tests;

/// <summary>Typed routed calls, options validation and the dependency-injection registration.</summary>
public sealed class RedisClusterApiTests(RedisServerFixture redis) : RedisTestBase, IClassFixture<RedisServerFixture>
{
    private RedisClusterOptions Options => TestOptions.Fast(redis.Server.Configuration, Prefix);

    [Fact]
    public async Task Typed_routed_calls_carry_their_protocol()
    {
        ClusterNode a = await StartNodeAsync(Options);
        ClusterNode b = await StartNodeAsync(Options);
        await ConnectAsync(b, "CP-TY", c => c.Handle("Reset", ctx => Reply($$"""{"status":"{{ctx.PayloadElement.GetProperty("type").GetString()}}"}""")));
        await SeesAsync(a, "CP-TY");
        var cluster = (RedisOcppCluster)a.Cluster;

        (await cluster.GetStation("CP-TY").CallAsync(new Reset16Request("Soft"))).Status.Should().Be("Soft");
        (await a.Cluster.GetStation("CP-TY").CallAsync(new Reset16Request("Hard"))).Status.Should().Be("Hard"); // the core extension
        (await cluster.Invoking(c => c.GetStation("CP-TY").CallAsync(new Reset201Request("Immediate"))).Should().ThrowAsync<ArgumentException>())
            .Which.Message.Should().Contain(OcppProtocols.Ocpp201);
        (await a.Cluster.Invoking(c => c.GetStation("CP-TY").CallAsync(new Reset201Request("Immediate"))).Should().ThrowAsync<ArgumentException>())
            .Which.Message.Should().Contain(OcppProtocols.Ocpp201, "the interface path carries the protocol too");
    }

    [Fact]
    public async Task A_slow_subscriber_drops_the_oldest_events_instead_of_buffering_without_bound()
    {
        RedisOcppCluster cluster = Own(await RedisOcppCluster.ConnectAsync(Options with { SubscriberCapacity = 2 }));
        var gate = new TaskCompletionSource();
        var received = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using IAsyncDisposable subscription = await cluster.SubscribeAsync("slow", async m =>
        {
            await gate.Task;
            received.Enqueue(m);
        });
        for (int i = 0; i < 10; i++)
        {
            await cluster.PublishAsync("slow", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await Task.Delay(200); // all ten arrive while the handler is stuck on the first
        gate.SetResult();
        await Eventually.TrueAsync(() => ValueTask.FromResult(received.Contains("9")), "the newest event is handled");
        await Task.Delay(100);
        received.Count.Should().BeLessThanOrEqualTo(3, "one event in the handler and two buffered");
        received.Should().EndWith("9").And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task A_routed_call_is_one_trace_across_nodes_and_is_counted()
    {
        var spans = new System.Collections.Concurrent.ConcurrentBag<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == "Ocpp.Rpc.Redis",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        long counted = 0;
        using var meters = new System.Diagnostics.Metrics.MeterListener();
        meters.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Ocpp.Rpc.Redis" && instrument.Name == "ocpp.cluster.routed_calls")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "rpc.method" && (string?)tag.Value == "TraceMe")
                {
                    Interlocked.Add(ref counted, value);
                }
            }
        });
        meters.Start();

        ClusterNode a = await StartNodeAsync(Options);
        ClusterNode b = await StartNodeAsync(Options);
        await ConnectAsync(b, "CP-TR", c => c.Handle("TraceMe", _ => Reply("{}")));
        await SeesAsync(a, "CP-TR");
        await a.Cluster.CallAsync("CP-TR", "TraceMe");

        await Eventually.TrueAsync(() => ValueTask.FromResult(spans.Count(s => (string?)s.GetTagItem("ocpp.station") == "CP-TR") == 2), "both spans ended");
        var client = spans.Single(s => (string?)s.GetTagItem("ocpp.station") == "CP-TR" && s.Kind == System.Diagnostics.ActivityKind.Client);
        var server = spans.Single(s => (string?)s.GetTagItem("ocpp.station") == "CP-TR" && s.Kind == System.Diagnostics.ActivityKind.Server);
        server.TraceId.Should().Be(client.TraceId);
        server.ParentSpanId.Should().Be(client.SpanId);
        client.GetTagItem("ocpp.cluster.node").Should().Be(b.Cluster.NodeId);
        Interlocked.Read(ref counted).Should().Be(1);
    }

    [Fact]
    public async Task Invalid_options_are_refused()
    {
        await FluentActions.Invoking(() => RedisOcppCluster.ConnectAsync(RedisClusterOptions.Default)).Should().ThrowAsync<ArgumentException>();
        await FluentActions.Invoking(() => RedisOcppCluster.ConnectAsync(Options with { PresenceRefreshInterval = TimeSpan.FromSeconds(5) })).Should().ThrowAsync<ArgumentException>();
        await FluentActions.Invoking(() => RedisOcppCluster.ConnectAsync(Options with { HeartbeatInterval = TimeSpan.FromSeconds(2) })).Should().ThrowAsync<ArgumentException>();
        await FluentActions.Invoking(() => RedisOcppCluster.ConnectAsync(Options with { SubscriberFullMode = System.Threading.Channels.BoundedChannelFullMode.Wait })).Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task Dependency_injection_registers_the_node_as_the_cluster()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IOcppCluster>(new LocalOcppCluster());
        services.AddOcppRedisClustering(o => o with { Configuration = redis.Server.Configuration, Prefix = Prefix });
        await using (ServiceProvider provider = services.BuildServiceProvider())
        {
            foreach (IHostedService hosted in provider.GetServices<IHostedService>())
            {
                await hosted.StartAsync(CancellationToken.None);
            }

            IOcppCluster cluster = provider.GetRequiredService<IOcppCluster>();
            cluster.Should().BeSameAs(provider.GetRequiredService<RedisOcppCluster>());
            ((RedisOcppCluster)cluster).IsRedisConnected.Should().BeTrue();
            provider.GetServices<IOcppCluster>().Should().ContainSingle();
        }

        // Without a configuration, a multiplexer from the container is used and left open.
        await using ConnectionMultiplexer shared = await ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration);
        var withShared = new ServiceCollection();
        withShared.AddSingleton<IConnectionMultiplexer>(shared);
        withShared.AddOcppRedisClustering(o => o with { Prefix = Prefix });
        await using (ServiceProvider provider = withShared.BuildServiceProvider())
        {
            var cluster = provider.GetRequiredService<RedisOcppCluster>();
            await provider.GetServices<IHostedService>().Single().StartAsync(CancellationToken.None);
            cluster.Options.ConnectionMultiplexer.Should().BeSameAs(shared);
            (await cluster.IsConnectedAsync("nobody")).Should().BeFalse();
        }

        shared.IsConnected.Should().BeTrue();
    }
}

using System.Text.Json;
using Ocpp.Rpc.AspNetCore;
using Microsoft.Extensions.Logging;
using Ocpp.Rpc.Redis;

namespace Ocpp.Rpc.LoadTool;

/// <summary>
/// One node of a Redis-clustered CSMS: an <see cref="OcppServer"/> on loopback whose <see cref="OcppServer.Cluster"/>
/// is a <see cref="RedisOcppCluster"/> on <c>--redis</c> (any StackExchange.Redis connection string: standalone,
/// Sentinel or Redis Cluster). Answers BootNotification, Heartbeat, StatusNotification and MeterValues with pre-built
/// replies and counts them. Reads commands from stdin, one per line, and answers each with one JSON line:
/// <list type="bullet">
/// <item><c>wait IDENTITY [SECONDS]</c>: until the station is connected to some node (<c>{"waited":...}</c>).</item>
/// <item><c>call IDENTITY WINDOW DURATION WARMUP</c>: CSMS-to-station DataTransfer calls through
/// <see cref="Clustering.IOcppCluster.CallAsync"/>, W in flight (local when the station is on this node, routed
/// through Redis when not), see <see cref="ClusterCallRun"/>.</item>
/// <item><c>stats</c>: connections, calls handled, memory (after a full GC).</item>
/// </list>
/// With <c>--link-key KEY</c> (and optionally <c>--link-port</c>) the node has direct node links
/// (<see cref="RedisClusterOptions.NodeLinks"/>): routed calls between two such nodes go over TCP (TLS with
/// <c>--link-tls</c>) instead of Redis.
/// <c>--call-concurrency N</c> sets <see cref="OcppConnectionOptions.CallConcurrency"/> on the station connections
/// (default 1, the library's and OCPP's: one call on the wire per station, the rest queued on the node).
/// Closing stdin does not stop the node; SIGTERM does.
/// </summary>
internal static class ClusterNodeCommand
{
    public static async Task RunAsync(Args args, CancellationToken stop)
    {
        int port = args.Int("port", 9500);
        string redis = args.Required("redis");
        string nodeId = args.String("node-id", "node-" + Environment.ProcessId);
        string prefix = args.String("key-prefix", "ocpp:");
        string protocol = args.String("protocol", OcppProtocols.Ocpp16);

        // --log LEVEL (e.g. Debug): the library's logs on stderr, for looking into a run; off by default.
        using Microsoft.Extensions.Logging.ILoggerFactory? logging = args.Flag("log")
            ? Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ").SetMinimumLevel(Enum.Parse<Microsoft.Extensions.Logging.LogLevel>(args.String("log", "Debug"))))
            : null;
        RedisOcppCluster cluster = await RedisOcppCluster.ConnectAsync(
            RedisClusterOptions.Default with
            {
                Configuration = redis,
                NodeId = nodeId,
                Prefix = prefix,

                // --link-key KEY: direct node links on loopback (a free port), so routed calls skip Redis; --link-tls encrypts them.
                NodeLinks = args.Flag("link-key")
                    ? new RedisNodeLinkOptions { Listen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, args.Int("link-port", 0)), SharedKey = args.String("link-key", ""), Encrypt = args.Flag("link-tls") }
                    : null,
            },
            logging);
        var handled = new HandledCounts();
        await using var server = new OcppServer(
            OcppServerOptions.Default with
            {
                Protocols = [protocol],
                MaxConnections = 1_000_000,
                Connection = OcppConnectionOptions.Default with { MaxConcurrentHandlers = 4096, LoggerFactory = logging, CallConcurrency = args.Int("call-concurrency", 1) },
            },
            cluster);
        await using (cluster)
        {
            byte[] boot = """{"status":"Accepted","currentTime":"2025-01-01T12:00:00.000Z","interval":300}"""u8.ToArray();
            byte[] heartbeat = """{"currentTime":"2025-01-01T12:00:00.000Z"}"""u8.ToArray();
            byte[] empty = "{}"u8.ToArray();
            server.Handle("BootNotification", _ => Reply(ref handled.Boots, boot));
            server.Handle("Heartbeat", _ => Reply(ref handled.Heartbeats, heartbeat));
            server.Handle("StatusNotification", _ => Reply(ref handled.Other, empty));
            server.Handle("MeterValues", _ => Reply(ref handled.MeterValues, empty));

            await server.ListenAsync(port, System.Net.IPAddress.Loopback, stop);
            Console.WriteLine(JsonSerializer.Serialize(new { listening = port, nodeId, redisConnected = cluster.IsRedisConnected, nodeLink = cluster.NodeLinkAddress, gcServer = System.Runtime.GCSettings.IsServerGC }));
            Console.Out.Flush();

            // stdin is read on a thread of its own: Console.In blocks. The first version read it on a pool thread and
            // routed calls to the node stalled (benchmarks/README.md: the cause was the console, not the pool).
            var commands = new Thread(() => ReadCommands(server, handled, stop)) { IsBackground = true, Name = "stdin commands" };
            commands.Start();
            try
            {
                await Task.Delay(Timeout.Infinite, stop);
            }
            catch (OperationCanceledException)
            {
            }

        }
    }

    private static ValueTask<OcppReply> Reply(ref long counter, byte[] json)
    {
        Interlocked.Increment(ref counter);
        return new ValueTask<OcppReply>(OcppPayload.FromUtf8Json(json));
    }

    // Runs on its own thread and blocks only that thread: each command's async work is waited for here, so the
    // blocking ReadLine never moves onto a thread-pool thread.
    private static void ReadCommands(OcppServer server, HandledCounts handled, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && Console.In.ReadLine() is { } line)
        {
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            string reply;
            try
            {
                reply = RunCommandAsync(server, handled, words, stop).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                reply = JsonSerializer.Serialize(new { error = ex.GetType().Name + ": " + ex.Message });
            }

            Console.WriteLine(reply);
            Console.Out.Flush();
        }
    }

    private static async Task<string> RunCommandAsync(OcppServer server, HandledCounts handled, string[] words, CancellationToken stop) => words[0] switch
    {
        "wait" => await WaitAsync(server, words[1], words.Length > 2 ? double.Parse(words[2], System.Globalization.CultureInfo.InvariantCulture) : 30, stop),
        "call" => await ClusterCallRun.RunAsync(server.Cluster, words[1], int.Parse(words[2], System.Globalization.CultureInfo.InvariantCulture), double.Parse(words[3], System.Globalization.CultureInfo.InvariantCulture), double.Parse(words[4], System.Globalization.CultureInfo.InvariantCulture), stop),
        "stats" => Stats(server, handled),
        _ => JsonSerializer.Serialize(new { error = "unknown command " + words[0] }),
    };

    private static async Task<string> WaitAsync(OcppServer server, string identity, double seconds, CancellationToken stop)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop);
        limit.CancelAfter(TimeSpan.FromSeconds(seconds));
        bool found = false;
        while (!limit.IsCancellationRequested && !(found = await server.Cluster.IsConnectedAsync(identity, limit.Token)))
        {
            await Task.Delay(50, limit.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        return JsonSerializer.Serialize(new { waited = identity, found, local = server.TryGetConnection(identity, out _), ms = watch.ElapsedMilliseconds });
    }

    private static string Stats(OcppServer server, HandledCounts handled)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return JsonSerializer.Serialize(new
        {
            stats = true,
            connections = server.ConnectionCount,
            boots = Interlocked.Read(ref handled.Boots),
            heartbeats = Interlocked.Read(ref handled.Heartbeats),
            meterValues = Interlocked.Read(ref handled.MeterValues),
            gcHeapBytes = GC.GetTotalMemory(false),
            workingSetBytes = process.WorkingSet64,
        });
    }

    private sealed class HandledCounts
    {
        public long Boots;
        public long Heartbeats;
        public long MeterValues;
        public long Other;
    }
}

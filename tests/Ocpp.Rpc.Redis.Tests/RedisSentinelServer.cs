using System.Diagnostics;
using System.Globalization;

namespace Ocpp.Rpc.Redis.Tests;

/// <summary>
/// A real Sentinel deployment: one <c>redis-server</c> primary and one <c>redis-server --sentinel</c> monitoring it as
/// <c>mymaster</c>, on free loopback ports. Clients connect through the Sentinel
/// (<c>127.0.0.1:{port},serviceName=mymaster</c>). Disposing kills both and deletes the directory.
/// </summary>
public sealed class RedisSentinelServer : IAsyncDisposable
{
    public const string ServiceName = "mymaster";

    private readonly string _directory = Directory.CreateTempSubdirectory("ocpp-redis-sentinel-").FullName;
    private RedisServer? _primary;
    private Process? _sentinel;

    private RedisSentinelServer(int port) => Port = port;

    /// <summary>The Sentinel's port.</summary>
    public int Port { get; }

    /// <summary>A StackExchange.Redis configuration string that finds the primary through the Sentinel.</summary>
    public string Configuration => $"127.0.0.1:{Port},serviceName={ServiceName}";

    public static async Task<RedisSentinelServer> StartAsync()
    {
        var server = new RedisSentinelServer(RedisServer.FreePort());
        try
        {
            server._primary = await RedisServer.StartAsync();
            string config = Path.Combine(server._directory, "sentinel.conf");
            await File.WriteAllTextAsync(config, string.Join('\n',
                $"port {server.Port}",
                "bind 127.0.0.1",
                $"dir {server._directory}",
                $"sentinel monitor {ServiceName} 127.0.0.1 {server._primary.Port} 1",
                $"sentinel down-after-milliseconds {ServiceName} 1000",
                string.Empty));
            var start = new ProcessStartInfo(RedisServer.FindExecutable("redis-server"))
            {
                WorkingDirectory = server._directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(config);
            start.ArgumentList.Add("--sentinel");
            server._sentinel = Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-server --sentinel.");
            server._sentinel.OutputDataReceived += (_, _) => { };
            server._sentinel.ErrorDataReceived += (_, _) => { };
            server._sentinel.BeginOutputReadLine();
            server._sentinel.BeginErrorReadLine();

            // Ready when the Sentinel names the primary.
            string expected = $"127.0.0.1\n{server._primary.Port.ToString(CultureInfo.InvariantCulture)}";
            var watch = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    if (await RedisClusterServer.CommandAsync(server.Port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", ServiceName) == expected)
                    {
                        return server;
                    }
                }
                catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidOperationException or TimeoutException)
                {
                    // Not up yet.
                }

                if (server._sentinel.HasExited || watch.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new InvalidOperationException($"The Sentinel on port {server.Port} never named the primary.");
                }

                await Task.Delay(20);
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_sentinel is { } sentinel)
        {
            try
            {
                sentinel.Kill();
                await sentinel.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }

            sentinel.Dispose();
            _sentinel = null;
        }

        if (_primary is not null)
        {
            await _primary.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>One Sentinel deployment per test class.</summary>
public sealed class RedisSentinelFixture : IAsyncLifetime
{
    private RedisSentinelServer? _server;

    public RedisSentinelServer Server => _server ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync() => _server = await RedisSentinelServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ocpp.Rpc.Redis.Tests;

/// <summary>
/// A real Redis Cluster: three primaries and three replicas (<c>redis-server --cluster-enabled yes</c>) on free loopback
/// ports in a temp directory, joined with <c>redis-cli --cluster create --cluster-replicas 1</c>. Start-up waits on
/// the servers' own answers (PING, <c>cluster_state:ok</c>, replication links up), never on fixed sleeps. Disposing
/// kills every process and deletes the directory, also after a failed start.
/// </summary>
public sealed class RedisClusterServer : IAsyncDisposable
{
    /// <summary>The cluster's failure detection time: short, so a killed primary is replaced in a few seconds.</summary>
    public const int NodeTimeoutMs = 1000;

    private const int Size = 6;
    private readonly string _directory = Directory.CreateTempSubdirectory("ocpp-redis-cluster-").FullName;
    private readonly Dictionary<int, Process> _processes = [];

    private RedisClusterServer(int[] ports) => Ports = ports;

    /// <summary>The client ports of all six servers.</summary>
    public IReadOnlyList<int> Ports { get; }

    /// <summary>A StackExchange.Redis configuration string naming every server (the client discovers the roles).</summary>
    public string Configuration => string.Join(',', Ports.Select(p => $"127.0.0.1:{p}"));

    public static async Task<RedisClusterServer> StartAsync()
    {
        int[] ports = FreePorts(Size * 2);
        var cluster = new RedisClusterServer(ports[..Size]);
        try
        {
            for (int i = 0; i < Size; i++)
            {
                cluster.Launch(ports[i], busPort: ports[Size + i]);
            }

            foreach (int port in cluster.Ports)
            {
                await cluster.WaitAsync(port, async () => (await CommandAsync(port, "PING")) == "PONG", "answers PING");
            }

            await cluster.CreateAsync();
            foreach (int port in cluster.Ports)
            {
                await cluster.WaitAsync(port, async () => (await CommandAsync(port, "CLUSTER", "INFO")).Contains("cluster_state:ok", StringComparison.Ordinal), "reports cluster_state:ok");
            }

            foreach (int replica in await cluster.ReplicasAsync())
            {
                await cluster.WaitAsync(replica, async () => (await CommandAsync(replica, "INFO", "replication")).Contains("master_link_status:up", StringComparison.Ordinal), "has its replication link up");
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends one command to one server and returns its reply as text, an array's items one per line (errors throw).</summary>
    public static async Task<string> CommandAsync(int port, params string[] args)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        NetworkStream stream = client.GetStream();
        var request = new StringBuilder($"*{args.Length}\r\n");
        foreach (string arg in args)
        {
            request.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(arg)}\r\n{arg}\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await ReadReplyAsync(reader, port, args);
    }

    private static async Task<string> ReadReplyAsync(StreamReader reader, int port, string[] args)
    {
        string line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5)) ?? throw new IOException("Redis closed the connection.");
        switch (line[0])
        {
            case '+' or ':':
                return line[1..];
            case '-':
                throw new InvalidOperationException($"Redis on port {port} answered {string.Join(' ', args)} with {line}");
            case '*':
                int count = int.Parse(line[1..], CultureInfo.InvariantCulture);
                var items = new List<string>();
                for (int i = 0; i < count; i++)
                {
                    items.Add(await ReadReplyAsync(reader, port, args));
                }

                return string.Join('\n', items);
            case '$':
                int length = int.Parse(line[1..], CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return string.Empty;
                }

                var body = new char[length + 2]; // and the CRLF
                int read = 0;
                while (read < body.Length)
                {
                    int n = await reader.ReadAsync(body.AsMemory(read, body.Length - read));
                    if (n == 0)
                    {
                        throw new IOException("Redis closed the connection mid-reply.");
                    }

                    read += n;
                }

                return new string(body, 0, length);
            default:
                throw new InvalidOperationException($"Unexpected reply to {string.Join(' ', args)}: {line}");
        }
    }

    /// <summary>
    /// Moves one hash slot, with its keys, from the primary on <paramref name="fromPort"/> to the one on
    /// <paramref name="toPort"/>, the way <c>redis-cli --cluster reshard</c> does: IMPORTING / MIGRATING, MIGRATE the
    /// keys in batches, then SETSLOT NODE on both.
    /// </summary>
    public async Task MigrateSlotAsync(int slot, int fromPort, int toPort)
    {
        IReadOnlyList<ClusterNodeLine> nodes = await NodesAsync();
        string fromId = nodes.Single(n => n.Port == fromPort).Id;
        string toId = nodes.Single(n => n.Port == toPort).Id;
        string s = slot.ToString(CultureInfo.InvariantCulture);
        await CommandAsync(toPort, "CLUSTER", "SETSLOT", s, "IMPORTING", fromId);
        await CommandAsync(fromPort, "CLUSTER", "SETSLOT", s, "MIGRATING", toId);
        while (true)
        {
            string[] keys = (await CommandAsync(fromPort, "CLUSTER", "GETKEYSINSLOT", s, "100")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (keys.Length == 0)
            {
                break;
            }

            await CommandAsync(fromPort, ["MIGRATE", "127.0.0.1", toPort.ToString(CultureInfo.InvariantCulture), "", "0", "5000", "REPLACE", "KEYS", .. keys]);
        }

        await CommandAsync(toPort, "CLUSTER", "SETSLOT", s, "NODE", toId);
        await CommandAsync(fromPort, "CLUSTER", "SETSLOT", s, "NODE", toId);
    }

    /// <summary>The port of the primary serving a hash slot now, asked of a live server.</summary>
    public async Task<int> PrimaryOfSlotAsync(int slot) =>
        OwnerOf(await NodesAsync(), slot) ?? throw new InvalidOperationException($"No primary serves slot {slot}.");

    private static int? OwnerOf(IReadOnlyList<ClusterNodeLine> nodes, int slot) =>
        nodes.FirstOrDefault(n => n.IsPrimary && n.Slots.Any(r => r.From <= slot && slot <= r.To))?.Port;

    private static async Task<IReadOnlyList<ClusterNodeLine>> NodesOfAsync(int port) =>
        [.. (await CommandAsync(port, "CLUSTER", "NODES")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ClusterNodeLine.Parse)];

    /// <summary>The ports of the primaries that serve slots now.</summary>
    public async Task<IReadOnlyList<int>> PrimariesAsync() => [.. (await NodesAsync()).Where(n => n.IsPrimary && n.Slots.Count > 0).Select(n => n.Port)];

    /// <summary>The ports of the replicas of the primary on <paramref name="primaryPort"/>.</summary>
    public async Task<IReadOnlyList<int>> ReplicasOfAsync(int primaryPort)
    {
        IReadOnlyList<ClusterNodeLine> nodes = await NodesAsync();
        string id = nodes.Single(n => n.Port == primaryPort).Id;
        return [.. nodes.Where(n => n.PrimaryId == id && !n.Failed).Select(n => n.Port)];
    }

    /// <summary>The hash slot of a key, as the cluster computes it.</summary>
    public async Task<int> SlotOfAsync(string key) =>
        int.Parse(await CommandAsync(LivePort(), "CLUSTER", "KEYSLOT", key), CultureInfo.InvariantCulture);

    /// <summary>Kills a server with SIGKILL: no shutdown, no last replication.</summary>
    public async Task KillAsync(int port)
    {
        Process process = _processes[port];
        process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
        _processes.Remove(port);
    }

    /// <summary>
    /// Waits until every live server reports <c>cluster_state:ok</c> and says the server on <paramref name="port"/> is
    /// the primary serving <paramref name="slot"/>.
    /// </summary>
    public async Task WaitUntilServedByAsync(int slot, int port, int timeoutMs = 20000)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                bool ok = true;
                foreach (int live in _processes.Keys)
                {
                    ok &= (await CommandAsync(live, "CLUSTER", "INFO")).Contains("cluster_state:ok", StringComparison.Ordinal)
                        && OwnerOf(await NodesOfAsync(live), slot) == port;
                }

                if (ok && await IsPrimaryAsync(port))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or InvalidOperationException)
            {
                // A server is busy with the failover; ask again.
            }

            if (watch.ElapsedMilliseconds > timeoutMs)
            {
                throw new TimeoutException($"Slot {slot} was not served by the server on port {port} within {timeoutMs} ms.");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (Process process in _processes.Values)
        {
            try
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }

            process.Dispose();
        }

        _processes.Clear();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<bool> IsPrimaryAsync(int port) =>
        (await CommandAsync(port, "INFO", "replication")).Contains("role:master", StringComparison.Ordinal);

    private int LivePort() => _processes.Keys.First();

    private void Launch(int port, int busPort)
    {
        string executable = RedisServer.FindExecutable("redis-server");
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[]
        {
            "--port", port.ToString(CultureInfo.InvariantCulture), "--cluster-port", busPort.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file", $"nodes-{port}.conf",
            "--cluster-node-timeout", NodeTimeoutMs.ToString(CultureInfo.InvariantCulture),
            // A replica may always take over, however long it was cut off (the test kills primaries on purpose).
            "--cluster-replica-validity-factor", "0",
            "--save", "", "--appendonly", "no", "--dir", _directory, "--dbfilename", $"dump-{port}.rdb", "--loglevel", "warning",
        })
        {
            start.ArgumentList.Add(arg);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes[port] = process;
    }

    private async Task CreateAsync()
    {
        var start = new ProcessStartInfo(RedisServer.FindExecutable("redis-cli"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--cluster");
        start.ArgumentList.Add("create");
        foreach (int port in Ports)
        {
            start.ArgumentList.Add($"127.0.0.1:{port}");
        }

        start.ArgumentList.Add("--cluster-replicas");
        start.ArgumentList.Add("1");
        start.ArgumentList.Add("--cluster-yes");
        using Process cli = Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-cli.");
        Task<string> output = cli.StandardOutput.ReadToEndAsync();
        Task<string> errors = cli.StandardError.ReadToEndAsync();
        await cli.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (cli.ExitCode != 0)
        {
            throw new InvalidOperationException($"redis-cli --cluster create failed ({cli.ExitCode}): {await output} {await errors}");
        }
    }

    private async Task<IReadOnlyList<int>> ReplicasAsync() => [.. (await NodesAsync()).Where(n => !n.IsPrimary).Select(n => n.Port)];

    private async Task WaitAsync(int port, Func<Task<bool>> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or InvalidOperationException or TimeoutException)
            {
                // Not up yet.
            }

            if (!_processes.TryGetValue(port, out Process? process) || process.HasExited || watch.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"redis-server on port {port} never {what}.");
            }

            await Task.Delay(20);
        }
    }

    private async Task<IReadOnlyList<ClusterNodeLine>> NodesAsync()
    {
        Exception? last = null;
        foreach (int port in _processes.Keys)
        {
            try
            {
                return await NodesOfAsync(port);
            }
            catch (Exception ex) when (ex is IOException or SocketException or InvalidOperationException or TimeoutException)
            {
                last = ex;
            }
        }

        throw new InvalidOperationException("No cluster server answered CLUSTER NODES.", last);
    }

    private static int[] FreePorts(int count)
    {
        // All listeners stay open until every port is chosen, so no port is handed out twice.
        var listeners = new List<TcpListener>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (TcpListener listener in listeners)
            {
                listener.Stop();
            }
        }
    }

    /// <summary>One line of <c>CLUSTER NODES</c>: <c>id ip:port@bus flags primary-id ping pong epoch link slot...</c>.</summary>
    private sealed record ClusterNodeLine(string Id, int Port, bool IsPrimary, bool Failed, string? PrimaryId, IReadOnlyList<(int From, int To)> Slots)
    {
        public static ClusterNodeLine Parse(string line)
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string address = parts[1].Split('@')[0];
            int port = int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
            string[] flags = parts[2].Split(',');
            var slots = new List<(int, int)>();
            foreach (string range in parts.Skip(8).Where(p => !p.StartsWith('[')))
            {
                string[] ends = range.Split('-');
                int from = int.Parse(ends[0], CultureInfo.InvariantCulture);
                slots.Add((from, ends.Length > 1 ? int.Parse(ends[1], CultureInfo.InvariantCulture) : from));
            }

            return new ClusterNodeLine(parts[0], port, flags.Contains("master"), flags.Contains("fail") || flags.Contains("fail?"), parts[3] == "-" ? null : parts[3], slots);
        }
    }
}

/// <summary>One Redis Cluster per test class.</summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    private RedisClusterServer? _cluster;

    public RedisClusterServer Cluster => _cluster ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync() => _cluster = await RedisClusterServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

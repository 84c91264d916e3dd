using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Ocpp.Rpc.Client.Tests.Interop;

/// <summary>
/// Runs <c>tests/interop/ocpp-rpc-server.js</c> (the ocpp-rpc npm package as a real CSMS) with node, and collects
/// the JSON lines it prints. Missing node or node_modules fail the test with instructions; CI installs both.
/// </summary>
internal sealed class NodeCsms : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<JsonElement> _events = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private NodeCsms(Process process)
    {
        _process = process;
    }

    public int Port { get; private set; }

    public Uri Endpoint => new($"ws://127.0.0.1:{Port}/ocpp");

    public IReadOnlyList<JsonElement> Events => _events.ToArray();

    public static async Task<NodeCsms> StartAsync()
    {
        string interop = FindInteropFolder();
        string script = Path.Combine(interop, "ocpp-rpc-server.js");
        if (!Directory.Exists(Path.Combine(interop, "node_modules", "ocpp-rpc")))
        {
            throw new InvalidOperationException($"Interop tests need the ocpp-rpc npm package: run `cd {interop} && npm ci` (.ci/run does this).");
        }

        var start = new ProcessStartInfo("node", [script, "0"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = interop,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("Interop tests need Node.js (`node` on PATH); CI installs it.", ex);
        }

        var csms = new NodeCsms(process);
        process.OutputDataReceived += (_, e) => csms.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                csms._stderr.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        JsonElement listening = await csms.WaitForAsync(e => e.Event() == "listening", 15_000);
        csms.Port = listening.GetProperty("port").GetInt32();
        return csms;
    }

    /// <summary>The first event (already printed or still to come) that matches.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            foreach (JsonElement e in _events)
            {
                if (match(e))
                {
                    return e;
                }
            }

            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || _process.HasExited && _arrived.CurrentCount == 0)
            {
                Assert.Fail($"The ocpp-rpc server did not print the expected event. Events: {string.Join(" | ", _events.Select(e => e.GetRawText()))}. stderr: {string.Join(" | ", _stderr)}");
            }

            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    public async Task SendCommandAsync(object command)
    {
        await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(command));
        await _process.StandardInput.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(3000);
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
        _arrived.Dispose();
    }

    private static string FindInteropFolder()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ocpp.sln")))
            {
                return Path.Combine(dir.FullName, "tests", "interop");
            }
        }

        throw new InvalidOperationException("Could not find the repository root (Ocpp.sln) above " + AppContext.BaseDirectory);
    }

    private void OnLine(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        try
        {
            _events.Enqueue(JsonElement.Parse(line));
        }
        catch (JsonException)
        {
            _stderr.Enqueue("(stdout) " + line);
        }

        _arrived.Release();
    }
}

internal static class NodeEventExtensions
{
    public static string? Event(this JsonElement e) => e.TryGetProperty("event", out JsonElement v) ? v.GetString() : null;

    public static string? Str(this JsonElement e, string name) => e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static bool Is(this JsonElement e, string @event, string identity, string? action = null) =>
        e.Event() == @event && e.Str("identity") == identity && (action is null || e.Str("action") == action);
}

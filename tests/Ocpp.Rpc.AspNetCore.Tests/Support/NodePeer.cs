using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace Ocpp.Rpc.AspNetCore.Tests.Support;

/// <summary>
/// Runs a script from tests/interop with node and reads its JSON-line output. Fails with a clear message when node
/// or the npm packages are missing (CI installs them with <c>npm ci</c>); never skips.
/// </summary>
internal sealed class NodePeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<JsonElement> _lines = Channel.CreateUnbounded<JsonElement>();
    private readonly List<string> _stderr = [];

    private NodePeer(Process process)
    {
        _process = process;
    }

    public static string InteropDirectory
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "tests", "interop");
                if (File.Exists(Path.Combine(candidate, "package.json")))
                {
                    return candidate;
                }
            }

            throw new InvalidOperationException("tests/interop/package.json was not found above " + AppContext.BaseDirectory);
        }
    }

    public static NodePeer Start(string script, params string[] arguments)
    {
        string dir = InteropDirectory;
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "ocpp-rpc")))
        {
            throw new InvalidOperationException($"The interop peer is not installed: run `cd {dir} && npm ci` (CI does this in .ci/run).");
        }

        var info = new ProcessStartInfo("node") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException("node is not installed or not on PATH; the interop tests need Node.js 18+ (CI installs it).", ex);
        }

        var peer = new NodePeer(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                peer._lines.Writer.TryComplete();
            }
            else if (e.Data.StartsWith('{'))
            {
                peer._lines.Writer.TryWrite(JsonElement.Parse(e.Data));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (peer._stderr)
                {
                    peer._stderr.Add(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>Reads lines until one has the given event, returning it (earlier lines are collected in <see cref="Seen"/>).</summary>
    public async Task<JsonElement> WaitForAsync(string eventName)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await foreach (JsonElement line in _lines.Reader.ReadAllAsync(timeout.Token))
            {
                Seen.Add(line);
                if (line.GetProperty("event").GetString() == eventName)
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new InvalidOperationException($"The node peer never printed '{eventName}'. Output: {string.Join(" | ", Seen)}; stderr: {Stderr}");
    }

    public List<JsonElement> Seen { get; } = [];

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return string.Join(Environment.NewLine, _stderr);
            }
        }
    }

    public JsonElement Find(string eventName, string method) =>
        Seen.FirstOrDefault(l => l.GetProperty("event").GetString() == eventName && l.TryGetProperty("method", out JsonElement m) && m.GetString() == method);

    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

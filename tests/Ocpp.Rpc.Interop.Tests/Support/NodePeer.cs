using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ocpp.Rpc.Interop.Tests.Support;

/// <summary>
/// A peer script from tests/interop run with node: its stdout is one JSON object per line (<c>{"event": ...}</c>),
/// its stdin takes one JSON command per line. Every wait is bounded and fails the test with everything the peer
/// printed and its stderr, including when the process exits early (a peer that fails to start says why).
/// </summary>
internal sealed class NodePeer : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly string _script;
    private readonly List<JsonElement> _events = [];
    private readonly List<string> _stderr = [];
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextId;

    private NodePeer(Process process, string script)
    {
        _process = process;
        _script = script;
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

    /// <summary>Starts <paramref name="script"/>; <paramref name="package"/> is the npm package it needs in node_modules.</summary>
    public static NodePeer Start(string package, string script, params string[] arguments)
    {
        string dir = InteropDirectory;
        if (!Directory.Exists(Path.Combine(dir, "node_modules", package)))
        {
            throw new InvalidOperationException($"The interop peer {package} is not installed: run `cd {dir} && npm ci` (.ci/run does this).");
        }

        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = dir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
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
            throw new InvalidOperationException("node is not installed or not on PATH; the interop tests need Node.js 18+ (.ci/run installs it).", ex);
        }

        var peer = new NodePeer(process, script);
        process.OutputDataReceived += (_, e) => peer.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (peer._lock)
                {
                    peer._stderr.Add(e.Data);
                }
            }
        };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => peer.Pulse();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>Starts a peer that listens and waits for its <c>listening {port}</c> line.</summary>
    public static async Task<NodePeer> StartListeningAsync(string package, string script, params string[] arguments)
    {
        NodePeer peer = Start(package, script, arguments);
        try
        {
            JsonElement listening = await peer.WaitForAsync("listening");
            peer.Port = listening.GetProperty("port").GetInt32();
            return peer;
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }

    public int Port { get; private set; }

    public IReadOnlyList<JsonElement> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_lock)
            {
                return string.Join(Environment.NewLine, _stderr);
            }
        }
    }

    /// <summary>The first event (already printed or still to come) named <paramref name="eventName"/> that matches.</summary>
    public Task<JsonElement> WaitForAsync(string eventName, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null) =>
        WaitForAsync(e => e.Event() == eventName && (match is null || match(e)), $"'{eventName}'", timeout);

    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, string what, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        int seen = 0;
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                for (; seen < _events.Count; seen++)
                {
                    if (match(_events[seen]))
                    {
                        return _events[seen];
                    }
                }

                changed = _changed.Task;
            }

            if (_process.HasExited)
            {
                // Exited: the remaining output may still be in flight; wait for the end of stdout once.
                _process.WaitForExit();
                lock (_lock)
                {
                    if (seen == _events.Count)
                    {
                        Assert.Fail($"{_script} exited ({_process.ExitCode}) without printing {what}. {Describe()}");
                    }
                }

                continue;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"{_script} did not print {what} within {timeout ?? DefaultTimeout}. {Describe()}");
            }
        }
    }

    /// <summary>How many events so far match.</summary>
    public int Count(string eventName, Func<JsonElement, bool>? match = null) =>
        Events.Count(e => e.Event() == eventName && (match is null || match(e)));

    public async Task SendAsync(object command)
    {
        await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(command));
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Asks the peer to make a call (<c>{"cmd":"call"}</c>) and returns its <c>result</c> or <c>error</c> line.</summary>
    public async Task<JsonElement> CallAsync(string method, string paramsJson = "{}", string? identity = null)
    {
        int id = Interlocked.Increment(ref _nextId);
        await SendAsync(new { cmd = "call", id, identity, method, @params = JsonNode.Parse(paramsJson) });
        return await WaitForAsync(e => e.Event() is "result" or "error" && e.TryGetProperty("id", out JsonElement i) && i.GetInt32() == id, $"the outcome of {method}");
    }

    /// <summary>Asks the peer to make a call that must succeed; returns the response payload.</summary>
    public async Task<JsonElement> CallOkAsync(string method, string paramsJson = "{}", string? identity = null)
    {
        JsonElement outcome = await CallAsync(method, paramsJson, identity);
        outcome.Event().Should().Be("result", $"{method} must succeed, got {outcome.GetRawText()}; stderr: {Stderr}");
        return outcome.GetProperty("response");
    }

    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private string Describe() => $"Output: {string.Join(" | ", Events.Select(e => e.GetRawText()))}; stderr: {Stderr}";

    private void OnLine(string? line)
    {
        if (line is null)
        {
            Pulse();
            return;
        }

        if (!line.StartsWith('{'))
        {
            lock (_lock)
            {
                _stderr.Add("(stdout) " + line);
            }

            return;
        }

        JsonElement parsed;
        try
        {
            parsed = JsonElement.Parse(line);
        }
        catch (JsonException)
        {
            lock (_lock)
            {
                _stderr.Add("(stdout) " + line);
            }

            return;
        }

        lock (_lock)
        {
            _events.Add(parsed);
        }

        Pulse();
    }

    private void Pulse()
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}

internal static class NodeEventExtensions
{
    public static string? Event(this JsonElement e) => e.TryGetProperty("event", out JsonElement v) ? v.GetString() : null;

    public static string? Str(this JsonElement e, string name) => e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Ocpp.Rpc.Samples.Tests;

/// <summary>
/// The Csms sample as a child process (<c>dotnet Csms.dll</c> from the test output), with its standard input
/// redirected and kept open, as a terminal, a pipe or <c>docker run -i</c> would.
/// </summary>
internal sealed partial class CsmsProcess : IAsyncDisposable
{
    public const int SIGINT = 2;
    public const int SIGTERM = 15;

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private CsmsProcess(Process process)
    {
        _process = process;
    }

    public int Port { get; private set; }

    public int Id => _process.Id;

    /// <summary>Everything written to standard output and standard error so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the CSMS on a free port and waits until it is ready.</summary>
    public static async Task<CsmsProcess> StartAsync(params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Csms.dll"));
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add("0");
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION");
        var csms = new CsmsProcess(new Process { StartInfo = start });
        csms._process.OutputDataReceived += (_, e) => csms.Append(e.Data);
        csms._process.ErrorDataReceived += (_, e) => csms.Append(e.Data);
        csms._process.Start();
        csms._process.BeginOutputReadLine();
        csms._process.BeginErrorReadLine();
        try
        {
            Match ready = await Eventually.GetAsync(() => ReadyLine().Match(csms.Output) is { Success: true } m ? m : null, "the CSMS to be ready", TimeSpan.FromSeconds(30));
            csms.Port = int.Parse(ready.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (TimeoutException ex)
        {
            string output = csms.Output;
            await csms.DisposeAsync();
            throw new TimeoutException(ex.Message + " Output:\n" + output, ex);
        }

        return csms;
    }

    /// <summary>Writes one line to the CSMS's standard input (which stays open).</summary>
    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Sends a POSIX signal, as <c>kill -TERM</c> or Ctrl+C would.</summary>
    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>
    /// Whether the process ignores <paramref name="signal"/> (Linux: <c>SigIgn</c> in /proc). A background job of a
    /// non-interactive shell starts with SIGINT ignored, and its children inherit that: no program can see it then.
    /// </summary>
    public bool Ignores(int signal)
    {
        string status = Path.Combine("/proc", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "status");
        if (!File.Exists(status))
        {
            return false;
        }

        string? mask = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal))?["SigIgn:".Length..].Trim();
        return mask is not null && (ulong.Parse(mask, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture) & (1UL << (signal - 1))) != 0;
    }

    /// <summary>Waits for the process to exit; returns its exit code.</summary>
    /// <exception cref="TimeoutException">Still running after <paramref name="timeout"/>.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The CSMS did not exit within {timeout.TotalSeconds} s. Output:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Waits (up to 10 s) until the output contains <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, string what)
    {
        try
        {
            await Eventually.TrueAsync(() => Output.Contains(text, StringComparison.Ordinal), what, TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message} Output:\n{Output}", ex);
        }
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

    private static string DotnetHost()
    {
        // The test host usually runs under the dotnet muxer; otherwise the SDK says where it is.
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    [GeneratedRegex(@"CSMS ready on port (\d+)\.")]
    private static partial Regex ReadyLine();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}

/// <summary>A theory that needs POSIX signals (skipped on Windows).</summary>
internal sealed class UnixTheoryAttribute : TheoryAttribute
{
    public UnixTheoryAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Sends POSIX signals.";
        }
    }
}

/// <summary>A fact that runs the sample as a Unix child process (skipped on Windows).</summary>
internal sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Runs the sample as a Unix child process.";
        }
    }
}

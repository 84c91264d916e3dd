using System.Globalization;

namespace Ocpp.Rpc.Samples.Csms;

/// <summary>A small console for the running CSMS: list stations and transactions, call stations.</summary>
internal static class CommandLoop
{
    /// <summary>Reads commands until <c>quit</c>, the end of the input, or cancellation.</summary>
    /// <returns>True when the user asked to quit; false at the end of the input (then keep running until Ctrl+C).</returns>
    /// <exception cref="OperationCanceledException">Cancelled, even while a read is blocked.</exception>
    public static async Task<bool> RunAsync(CsmsApp csms, TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        while (true)
        {
            string? line = await ReadLineAsync(input, cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                return false;
            }

            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (words.Length == 0)
            {
                continue;
            }

            if (words[0] is "quit" or "exit")
            {
                return true;
            }

            try
            {
                // Replies carry what stations sent (configuration values, error descriptions): escaped for the terminal.
                foreach (string reply in await ExecuteAsync(csms, words, cancellationToken).ConfigureAwait(false))
                {
                    await output.WriteLineAsync(OcppLogText.Escape(reply)).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is OcppRpcException or OcppCallTimeoutException or OcppConnectionClosedException
                                           or InvalidOperationException or ArgumentException or NotSupportedException)
            {
                await output.WriteLineAsync(OcppLogText.Escape($"{words[0]} failed: {ex.Message}")).ConfigureAwait(false);
            }
        }
    }

    // Console.In reads synchronously, even through ReadLineAsync, so awaiting it would keep Ctrl+C and SIGTERM from
    // stopping the CSMS for as long as the input stays open (a terminal, a pipe, docker run -i). The read runs on its
    // own thread and the token wins the race; an abandoned read ends with the process.
    private static Task<string?> ReadLineAsync(TextReader input, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(input.ReadLine, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            .WaitAsync(cancellationToken);

    /// <summary>Runs one command and returns the lines to print.</summary>
    public static async Task<IReadOnlyList<string>> ExecuteAsync(CsmsApp csms, IReadOnlyList<string> words, CancellationToken cancellationToken = default)
    {
        string Arg(int index) => index < words.Count ? words[index] : throw new ArgumentException($"{words[0]} needs more arguments (try help).");
        StationCommands commands = csms.Commands;
        return words[0] switch
        {
            "stations" or "ls" => [.. csms.State.Stations.Select(Describe)],
            "tx" => [.. csms.State.Transactions.Select(Describe)],
            "start" => [await commands.RemoteStartAsync(Arg(1), words.Count > 2 ? words[2] : "REMOTE-0001", cancellationToken).ConfigureAwait(false)],
            "stop" => [await commands.RemoteStopAsync(Arg(1), cancellationToken).ConfigureAwait(false)],
            "reset" => [await commands.ResetAsync(Arg(1), words.Count > 2 && words[2] == "hard", cancellationToken).ConfigureAwait(false)],
            "get" => await commands.GetConfigurationAsync(Arg(1), [.. words.Skip(2)], cancellationToken).ConfigureAwait(false),
            "set" => [await commands.SetConfigurationAsync(Arg(1), Arg(2), Arg(3), cancellationToken).ConfigureAwait(false)],
            "report" => [await commands.GetBaseReportAsync(Arg(1), cancellationToken).ConfigureAwait(false)],
            _ => [.. CsmsOptions.Usage.Split('\n').SkipWhile(l => !l.StartsWith("Commands", StringComparison.Ordinal))],
        };
    }

    /// <summary>One line per station; what the station sent (vendor, model, statuses) is escaped.</summary>
    public static string Describe(StationInfo s) => OcppLogText.Escape(string.Create(CultureInfo.InvariantCulture,
        $"{s.Identity,-12} {s.Protocol,-9} {(s.Connected ? "online" : "offline"),-7} boot {s.BootStatus ?? "-",-8} x{s.Boots} heartbeats {s.Heartbeats,-4} "
        + $"{string.Join(' ', s.Connectors.Select(c => $"[{c.Key}: {c.Value}]"))} {s.Vendor} {s.Model}"));

    /// <summary>One line per transaction; what the station sent (ids, reasons) is escaped.</summary>
    public static string Describe(TransactionInfo t) => OcppLogText.Escape(string.Create(CultureInfo.InvariantCulture,
        $"{t.Identity,-12} tx {t.TransactionId,-12} {t.IdTag ?? "-",-12} {(t.Active ? "active" : "stopped (" + t.StopReason + ")"),-20} {t.EnergyWh,8:0} Wh, {t.MeterValues} meter values"));
}

// A multi-version CSMS: OCPP 1.6, 2.0.1 and 2.1 stations at ws://host:9220/ocpp/{identity}. See CsmsOptions.Usage.
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Ocpp.Rpc.Samples.Csms;

if (args is ["hash-password", .. var hashArgs])
{
    return StationCredentials.RunHashPassword(hashArgs, Console.In, Console.Out, Console.Error, Console.IsInputRedirected ? null : ReadHiddenLine);
}

CsmsOptions options;
try
{
    options = CsmsOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(CsmsOptions.Usage);
    return 2;
}

if (options.ShowHelp)
{
    Console.WriteLine(CsmsOptions.Usage);
    return 0;
}

using ILoggerFactory loggerFactory = LoggerFactory.Create(logging => logging
    .AddSimpleConsole(console => { console.SingleLine = true; console.TimestampFormat = "HH:mm:ss "; })
    .SetMinimumLevel(options.Verbose ? LogLevel.Debug : LogLevel.Information)
    .AddFilter("Microsoft", LogLevel.Warning));

// Ctrl+C (SIGINT) and SIGTERM (docker stop, systemd) stop the CSMS gracefully: stations are closed with 1001. The
// command loop gives way to the token even while it waits for a line. A second signal terminates at once.
using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext signal)
{
    signal.Cancel = !stop.IsCancellationRequested;
    stop.Cancel();
}

using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

CsmsApp csms;
try
{
    csms = await CsmsApp.StartAsync(options, loggerFactory, stop.Token);
}
catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or CryptographicException)
{
    Console.Error.WriteLine($"Cannot start: {ex.Message}");
    return 2;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    return 0;
}

await using (csms)
{
    Console.WriteLine($"CSMS ready on port {csms.Port}. Type help for commands, Ctrl+C to stop.");
    try
    {
        if (!await CommandLoop.RunAsync(csms, Console.In, Console.Out, stop.Token))
        {
            await Task.Delay(Timeout.Infinite, stop.Token); // no console input: run until Ctrl+C
        }
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
    }

    Console.WriteLine("Stopping: closing every station (1001).");
    foreach (TransactionInfo transaction in csms.State.Transactions)
    {
        Console.WriteLine(CommandLoop.Describe(transaction));
    }
}

return 0;

// hash-password on a terminal: read the password without echoing it.
static string? ReadHiddenLine()
{
    Console.Error.Write("Password: ");
    var password = new StringBuilder();
    while (Console.ReadKey(intercept: true) is { Key: not ConsoleKey.Enter } key)
    {
        if (key.Key == ConsoleKey.Backspace)
        {
            password.Length = Math.Max(0, password.Length - 1);
        }
        else if (!char.IsControl(key.KeyChar))
        {
            password.Append(key.KeyChar);
        }
    }

    Console.Error.WriteLine();
    return password.ToString();
}

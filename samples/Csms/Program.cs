// A multi-version CSMS: OCPP 1.6, 2.0.1 and 2.1 stations at ws://host:9220/ocpp/{identity}. See CsmsOptions.Usage.
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Ocpp.Rpc.Samples.Csms;

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

// Ctrl+C and SIGTERM (docker stop, systemd) both stop the CSMS gracefully: stations are closed with 1001.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    stop.Cancel();
});

await using (CsmsApp csms = await CsmsApp.StartAsync(options, loggerFactory, stop.Token))
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

    foreach (TransactionInfo transaction in csms.State.Transactions)
    {
        Console.WriteLine(CommandLoop.Describe(transaction));
    }
}

return 0;

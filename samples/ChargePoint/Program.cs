// A charge-point simulator: one or many OCPP 1.6 / 2.0.1 / 2.1 stations against a CSMS. See SimulatorOptions.Usage.
using System.Runtime.InteropServices;
using Ocpp.Rpc.Samples.ChargePoint;

SimulatorOptions options;
try
{
    options = SimulatorOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(SimulatorOptions.Usage);
    return 2;
}

if (options.ShowHelp)
{
    Console.WriteLine(SimulatorOptions.Usage);
    return 0;
}

// Ctrl+C and SIGTERM stop the stations gracefully: running transactions are stopped and reported first.
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

IReadOnlyList<SimulatedStation> stations;
try
{
    stations = Simulator.CreateStations(options, Console.Out);
}
catch (Ocpp.Rpc.Client.OcppMessageStoreException ex)
{
    // A corrupted or locked --store file: say so and stop, never start with an empty queue.
    Console.Error.WriteLine(ex.Message);
    return 2;
}

await Simulator.RunAsync(stations, options.Duration, stop.Token);

Console.WriteLine();
foreach (SimulatedStation station in stations)
{
    Console.WriteLine(station.Stats.Summary(station.Identity, station.Protocol));
}

// Exit code 1 when a station never got its boot accepted (e.g. refused credentials): handy in scripts.
return stations.All(s => s.Stats.BootStatus == "Accepted") ? 0 : 1;

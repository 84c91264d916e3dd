namespace Ocpp.Rpc.Samples.ChargePoint;

/// <summary>Runs <see cref="SimulatorOptions.Count"/> simulated stations side by side.</summary>
internal static class Simulator
{
    /// <summary>Creates the stations of <paramref name="options"/> (not started).</summary>
    public static IReadOnlyList<SimulatedStation> CreateStations(SimulatorOptions options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(options);
        TextWriter shared = TextWriter.Synchronized(output);
        return [.. Enumerable.Range(0, options.Count).Select(i => Create(options.Protocol, options.IdentityOf(i), options, shared))];
    }

    /// <summary>
    /// Runs the stations until <see cref="SimulatorOptions.Duration"/> has passed or <paramref name="cancellationToken"/>
    /// is cancelled, then stops them (ending their transactions) and returns them for their <see cref="StationStats"/>.
    /// </summary>
    public static async Task<IReadOnlyList<SimulatedStation>> RunAsync(SimulatorOptions options, TextWriter output, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<SimulatedStation> stations = CreateStations(options, output);
        await RunAsync(stations, options.Duration, cancellationToken);
        return stations;
    }

    /// <summary>Runs existing stations (see <see cref="CreateStations"/>) for <paramref name="duration"/> or until cancelled.</summary>
    public static async Task RunAsync(IReadOnlyList<SimulatedStation> stations, TimeSpan? duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stations);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (duration is { } limit)
        {
            stop.CancelAfter(limit);
        }

        try
        {
            await Task.WhenAll(stations.Select(s => s.RunAsync(stop.Token)));
        }
        finally
        {
            foreach (SimulatedStation station in stations)
            {
                await station.DisposeAsync();
            }
        }
    }

    private static SimulatedStation Create(string protocol, string identity, SimulatorOptions options, TextWriter output) => protocol switch
    {
        OcppProtocols.Ocpp16 => new Station16(identity, options, output),
        OcppProtocols.Ocpp201 => new Station201(identity, options, output),
        OcppProtocols.Ocpp21 => new Station21(identity, options, output),
        _ => throw new ArgumentException($"Unsupported protocol {protocol}.", nameof(protocol)),
    };
}

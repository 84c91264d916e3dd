using System.Globalization;

namespace Ocpp.Rpc.Samples.ChargePoint;

/// <summary>What one simulated station did (updated as it runs; read for the summary).</summary>
internal sealed class StationStats
{
    private int _boots;
    private int _heartbeats;
    private int _transactions;
    private int _remoteStarts;
    private int _remoteStops;
    private int _resets;
    private int _meterValues;
    private long _energyMilliWh;

    public string? BootStatus { get; set; }

    public string? LastError { get; set; }

    public int Boots => Volatile.Read(ref _boots);

    public int Heartbeats => Volatile.Read(ref _heartbeats);

    public int Transactions => Volatile.Read(ref _transactions);

    public int RemoteStarts => Volatile.Read(ref _remoteStarts);

    public int RemoteStops => Volatile.Read(ref _remoteStops);

    public int Resets => Volatile.Read(ref _resets);

    public int MeterValues => Volatile.Read(ref _meterValues);

    public double EnergyWh => Interlocked.Read(ref _energyMilliWh) / 1000.0;

    public void Booted(string status)
    {
        BootStatus = status;
        Interlocked.Increment(ref _boots);
    }

    public void Heartbeat() => Interlocked.Increment(ref _heartbeats);

    public void TransactionStarted(bool remote)
    {
        Interlocked.Increment(ref _transactions);
        if (remote)
        {
            Interlocked.Increment(ref _remoteStarts);
        }
    }

    public void RemoteStop() => Interlocked.Increment(ref _remoteStops);

    public void Reset() => Interlocked.Increment(ref _resets);

    public void MeterValue() => Interlocked.Increment(ref _meterValues);

    public void Energy(double wh) => Interlocked.Add(ref _energyMilliWh, (long)(wh * 1000));

    public string Summary(string identity, string protocol) => string.Create(CultureInfo.InvariantCulture,
        $"{identity} {protocol}: boot {BootStatus ?? "none"} x{Boots}, {Heartbeats} heartbeats, {Transactions} transactions ({RemoteStarts} remote, {RemoteStops} remote stops), "
        + $"{EnergyWh:0} Wh in {MeterValues} meter values, {Resets} resets{(LastError is { } error ? ", last error: " + error : string.Empty)}");
}

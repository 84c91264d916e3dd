using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.Tests.Support;

/// <summary>Two real connections linked in memory: a "station" and a "csms".</summary>
internal sealed class ConnectedPair : IAsyncDisposable
{
    private ConnectedPair(OcppConnection station, OcppConnection csms)
    {
        Station = station;
        Csms = csms;
    }

    public OcppConnection Station { get; }

    public OcppConnection Csms { get; }

    public static ConnectedPair Create(string? protocol = OcppProtocols.Ocpp16, OcppConnectionOptions? stationOptions = null, OcppConnectionOptions? csmsOptions = null, Action<OcppConnection, OcppConnection>? setup = null)
    {
        (InMemoryTransport a, InMemoryTransport b) = InMemoryTransport.CreatePair(protocol);
        var station = new OcppConnection(a, stationOptions, "CP-1");
        var csms = new OcppConnection(b, csmsOptions, "CP-1");
        setup?.Invoke(station, csms);
        station.Start();
        csms.Start();
        return new ConnectedPair(station, csms);
    }

    public async ValueTask DisposeAsync()
    {
        await Station.DisposeAsync();
        await Csms.DisposeAsync();
    }
}

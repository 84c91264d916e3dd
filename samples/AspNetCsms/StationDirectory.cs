using System.Collections.Concurrent;

namespace Ocpp.Rpc.Samples.AspNetCsms;

/// <summary>What the CSMS knows about its stations; a singleton (a database would stand behind it in a real CSMS).</summary>
internal sealed class StationDirectory
{
    private readonly ConcurrentDictionary<string, StationRecord> _stations = new(StringComparer.Ordinal);

    public bool IsBooted(string identity) => _stations.ContainsKey(identity);

    public StationRecord? Find(string identity) => _stations.GetValueOrDefault(identity);

    public IReadOnlyList<StationRecord> List() => [.. _stations.Values.OrderBy(s => s.Identity, StringComparer.Ordinal)];

    public void Save(StationRecord record) => _stations[record.Identity] = record;
}

/// <summary>One station as the CSMS records it.</summary>
internal sealed record StationRecord(string Identity, string Protocol, string Vendor, string Model, DateTimeOffset LastSeen, int Heartbeats);

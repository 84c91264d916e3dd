using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Ocpp.Rpc.Samples.Csms;

/// <summary>What the CSMS knows about one station. An immutable snapshot; <see cref="CsmsState"/> swaps in new ones.</summary>
internal sealed record StationInfo(string Identity)
{
    public string? Protocol { get; init; }

    public bool Connected => Connection is not null;

    /// <summary>The live connection, <see langword="null"/> while offline. After a replacement, the newer one.</summary>
    public OcppConnection? Connection { get; init; }

    public string? Vendor { get; init; }

    public string? Model { get; init; }

    public string? FirmwareVersion { get; init; }

    /// <summary>The status of the last BootNotification answered (<c>Accepted</c>, <c>Pending</c>, <c>Rejected</c>).</summary>
    public string? BootStatus { get; init; }

    public int Boots { get; init; }

    public int Heartbeats { get; init; }

    public DateTimeOffset? LastHeartbeat { get; init; }

    /// <summary>Connector status by <c>connectorId</c> (1.6) or <c>evseId/connectorId</c> (2.x).</summary>
    public ImmutableDictionary<string, string> Connectors { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The last Energy.Active.Import.Register reading, in Wh.</summary>
    public decimal? LastRegisterWh { get; init; }

    public int ReportParts { get; init; }

    public int ReportedVariables { get; init; }

    public int DataTransfers { get; init; }

    /// <summary>OCPP 2.1 NotifyPeriodicEventStream SEND messages received.</summary>
    public int StreamMessages { get; init; }
}

/// <summary>One charging session as the CSMS sees it.</summary>
internal sealed record TransactionInfo(string Identity, string TransactionId, DateTimeOffset Started)
{
    public string? IdTag { get; init; }

    /// <summary>The connector (1.6) or EVSE (2.x) number.</summary>
    public int? Connector { get; init; }

    public int? RemoteStartId { get; init; }

    public decimal? MeterStartWh { get; init; }

    public decimal? LastMeterWh { get; init; }

    public int MeterValues { get; init; }

    public DateTimeOffset? Stopped { get; init; }

    public string? StopReason { get; init; }

    public bool Active => Stopped is null;

    /// <summary>Energy delivered so far (or in total once stopped), in Wh.</summary>
    public decimal EnergyWh => MeterStartWh is { } start && LastMeterWh is { } last ? last - start : 0;
}

/// <summary>The CSMS's in-memory state: stations and transactions. Thread-safe; readers get snapshots.</summary>
internal sealed class CsmsState
{
    private readonly ConcurrentDictionary<string, StationInfo> _stations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Identity, string TransactionId), TransactionInfo> _transactions = new();
    private int _lastTransactionId;
    private int _lastRemoteStartId;

    public IReadOnlyList<StationInfo> Stations => [.. _stations.Values.OrderBy(s => s.Identity, StringComparer.Ordinal)];

    public IReadOnlyList<TransactionInfo> Transactions => [.. _transactions.Values.OrderBy(t => t.Started)];

    public StationInfo? GetStation(string identity) => _stations.GetValueOrDefault(identity);

    public TransactionInfo? GetTransaction(string identity, string transactionId) => _transactions.GetValueOrDefault((identity, transactionId));

    public TransactionInfo? GetActiveTransaction(string identity) =>
        _transactions.Values.Where(t => t.Identity == identity && t.Active).MaxBy(t => t.Started);

    /// <summary>OCPP 1.6: the CSMS numbers transactions.</summary>
    public int NextTransactionId() => Interlocked.Increment(ref _lastTransactionId);

    /// <summary>OCPP 2.x: the id a RequestStartTransaction carries, echoed in the TransactionEvent it causes.</summary>
    public int NextRemoteStartId() => Interlocked.Increment(ref _lastRemoteStartId);

    /// <summary>The sample's authorization policy: every idTag is accepted except those starting with <c>BLOCKED</c>.</summary>
    public static bool IsAuthorized(string idTag) => !idTag.StartsWith("BLOCKED", StringComparison.OrdinalIgnoreCase);

    public StationInfo UpdateStation(string identity, Func<StationInfo, StationInfo> update) =>
        _stations.AddOrUpdate(identity, (id, u) => u(new StationInfo(id)), (_, current, u) => u(current), update);

    public void Connected(OcppConnection connection) =>
        UpdateStation(connection.Identity, s => s with { Protocol = connection.Protocol, Connection = connection });

    /// <summary>
    /// Marks the station offline if <paramref name="connection"/> is still its current one. When a new connection
    /// replaces an old one, the old one's disconnect comes after the new one's connect and must not undo it.
    /// </summary>
    public void Disconnected(OcppConnection connection) =>
        UpdateStation(connection.Identity, s => ReferenceEquals(s.Connection, connection) ? s with { Connection = null } : s);

    public void Heartbeat(string identity, DateTimeOffset now) =>
        UpdateStation(identity, s => s with { Heartbeats = s.Heartbeats + 1, LastHeartbeat = now });

    public void ConnectorStatus(string identity, string connector, string status) =>
        UpdateStation(identity, s => s with { Connectors = s.Connectors.SetItem(connector, status) });

    /// <summary>Records a transaction start (idempotent: a repeated start keeps the first meter reading).</summary>
    public TransactionInfo StartTransaction(string identity, string transactionId, DateTimeOffset started, Func<TransactionInfo, TransactionInfo> update) =>
        _transactions.AddOrUpdate(
            (identity, transactionId),
            (key, u) => u(new TransactionInfo(key.Identity, key.TransactionId, started)),
            (_, current, u) => u(current),
            update);

    /// <summary>Records a meter reading for the station and, when given, its transaction.</summary>
    public void MeterReading(string identity, string? transactionId, decimal registerWh)
    {
        UpdateStation(identity, s => s with { LastRegisterWh = registerWh });
        if (transactionId is not null)
        {
            _transactions.AddOrUpdate(
                (identity, transactionId),
                static (key, wh) => new TransactionInfo(key.Identity, key.TransactionId, DateTimeOffset.UtcNow) { MeterStartWh = wh, LastMeterWh = wh, MeterValues = 1 },
                static (_, t, wh) => t with { MeterStartWh = t.MeterStartWh ?? wh, LastMeterWh = wh, MeterValues = t.MeterValues + 1 },
                registerWh);
        }
    }

    /// <summary>Records the end of a transaction; an unknown one is recorded as well (it may have started before a restart).</summary>
    public TransactionInfo StopTransaction(string identity, string transactionId, DateTimeOffset stopped, decimal? meterStopWh, string? reason) =>
        _transactions.AddOrUpdate(
            (identity, transactionId),
            static (key, a) => new TransactionInfo(key.Identity, key.TransactionId, a.stopped) { MeterStartWh = a.meterStopWh, LastMeterWh = a.meterStopWh, Stopped = a.stopped, StopReason = a.reason },
            static (_, t, a) => t with { LastMeterWh = a.meterStopWh ?? t.LastMeterWh, Stopped = t.Stopped ?? a.stopped, StopReason = t.StopReason ?? a.reason },
            (stopped, meterStopWh, reason));
}

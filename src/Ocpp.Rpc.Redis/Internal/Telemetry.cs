using Ocpp.Rpc.Clustering;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Ocpp.Rpc.Redis.Internal;

/// <summary>
/// The package's one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named <c>Ocpp.Rpc.Redis</c>.
/// A routed call is a client span on the caller and a server span on the owner node, linked through the W3C trace
/// context carried in the envelope.
/// </summary>
internal static class Telemetry
{
    public const string Name = "Ocpp.Rpc.Redis";

    private static readonly string? Version = typeof(Telemetry).Assembly.GetName().Version?.ToString();

    public static readonly ActivitySource Source = new(Name, Version);

    public static readonly Meter Meter = new(Name, Version);

    /// <summary>Routed calls by <c>rpc.method</c> and <c>ocpp.outcome</c>.</summary>
    public static readonly Counter<long> RoutedCalls = Meter.CreateCounter<long>("ocpp.cluster.routed_calls", "{call}", "Calls to stations held by another node, by outcome.");

    /// <summary>Round trip of routed calls, caller side.</summary>
    public static readonly Histogram<double> RoutedCallDuration = Meter.CreateHistogram<double>("ocpp.cluster.routed_call.duration", "s", "Round trip of calls to stations held by another node.");

    /// <summary>Connections closed because the station registered again (elsewhere).</summary>
    public static readonly Counter<long> Evictions = Meter.CreateCounter<long>("ocpp.cluster.evictions", "{connection}", "Local connections closed because the station connected again on another node.");

    /// <summary>Stations connected to this process's nodes.</summary>
    public static readonly UpDownCounter<long> LocalStations = Meter.CreateUpDownCounter<long>("ocpp.cluster.local_stations", "{station}", "Stations connected to this process's cluster nodes.");

    public static string OutcomeOf(Exception exception) => exception switch
    {
        OcppRpcException => "call_error",
        OcppCallTimeoutException => "timeout",
        Clustering.OcppStationNotConnectedException => "not_connected",
        OcppClusterUnavailableException => "unavailable",
        OcppConnectionClosedException => "closed",
        OperationCanceledException => "canceled",
        _ => "failed",
    };
}

using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Ocpp.Rpc.Internal;

/// <summary>
/// The package's one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named <c>Ocpp.Rpc</c>.
/// Instruments are checked for listeners first, so an unobserved connection pays nothing.
/// </summary>
internal static class Telemetry
{
    public const string Name = "Ocpp.Rpc";

    public static readonly ActivitySource Source = new(Name, typeof(Telemetry).Assembly.GetName().Version?.ToString());

    public static readonly Meter Meter = new(Name, typeof(Telemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Messages received and sent, tagged with direction and message type.</summary>
    public static readonly Counter<long> Messages = Meter.CreateCounter<long>("ocpp.rpc.messages", "{message}", "OCPP-J messages received and sent.");

    /// <summary>Outbound call duration until the response, tagged with action and outcome.</summary>
    public static readonly Histogram<double> CallDuration = Meter.CreateHistogram<double>("ocpp.rpc.call.duration", "s", "Time from sending a CALL to its CALLRESULT, CALLERROR or timeout.");

    /// <summary>Inbound handler duration, tagged with action and outcome.</summary>
    public static readonly Histogram<double> HandlerDuration = Meter.CreateHistogram<double>("ocpp.rpc.handler.duration", "s", "Time a handler took to answer an inbound CALL.");

    /// <summary>Bad messages received, tagged with the error kind.</summary>
    public static readonly Counter<long> BadMessages = Meter.CreateCounter<long>("ocpp.rpc.bad_messages", "{message}", "Received messages that were not valid OCPP-J.");

    /// <summary>Open connections.</summary>
    public static readonly UpDownCounter<long> ActiveConnections = Meter.CreateUpDownCounter<long>("ocpp.rpc.connections.active", "{connection}", "Open OCPP-J connections.");

    public static void CountMessage(OcppDirection direction, OcppMessageType type)
    {
        if (Messages.Enabled)
        {
            Messages.Add(1, new KeyValuePair<string, object?>("ocpp.direction", direction == OcppDirection.Inbound ? "in" : "out"), new KeyValuePair<string, object?>("ocpp.message_type", TypeName(type)));
        }
    }

    /// <summary>Records a duration; a start of 0 means nobody listened when the operation began (nothing to record).</summary>
    public static void RecordCall(Histogram<double> histogram, string action, string outcome, long startTimestamp)
    {
        if (startTimestamp != 0 && histogram.Enabled)
        {
            histogram.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("ocpp.action", action), new KeyValuePair<string, object?>("ocpp.outcome", outcome));
        }
    }

    public static string TypeName(OcppMessageType type) => type switch
    {
        OcppMessageType.Call => "CALL",
        OcppMessageType.CallResult => "CALLRESULT",
        OcppMessageType.CallError => "CALLERROR",
        OcppMessageType.CallResultError => "CALLRESULTERROR",
        OcppMessageType.Send => "SEND",
        _ => "UNKNOWN",
    };
}

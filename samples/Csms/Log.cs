using Microsoft.Extensions.Logging;

namespace Ocpp.Rpc.Samples.Csms;

/// <summary>The CSMS sample's log events (source-generated, fixed event ids).</summary>
internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Information, "Listening on {Addresses} (security profile {Profile}, strict mode {Strict}); stations connect to /ocpp/{{identity}}")]
    public static partial void Listening(ILogger logger, string addresses, int profile, bool strict);

    [LoggerMessage(101, LogLevel.Information, "{Identity} connected ({Protocol})")]
    public static partial void StationConnected(ILogger logger, string identity, string? protocol);

    [LoggerMessage(102, LogLevel.Information, "{Identity} disconnected (code {Code})")]
    public static partial void StationDisconnected(ILogger logger, string identity, int code);

    [LoggerMessage(103, LogLevel.Warning, "Refused {Identity}: HTTP {StatusCode}, {Reason}")]
    public static partial void HandshakeRejected(ILogger logger, string? identity, int statusCode, string reason);

    [LoggerMessage(110, LogLevel.Information, "{Identity} booted: {Vendor} {Model}, firmware {Firmware} -> {Status}")]
    public static partial void Booted(ILogger logger, string identity, string vendor, string model, string? firmware, string status);

    [LoggerMessage(111, LogLevel.Debug, "{Identity} heartbeat")]
    public static partial void Heartbeat(ILogger logger, string identity);

    [LoggerMessage(112, LogLevel.Information, "{Identity} connector {Connector}: {Status}")]
    public static partial void ConnectorStatus(ILogger logger, string identity, string connector, string status);

    [LoggerMessage(113, LogLevel.Information, "{Identity} authorize {IdTag}: {Status}")]
    public static partial void Authorized(ILogger logger, string identity, string idTag, string status);

    [LoggerMessage(114, LogLevel.Information, "{Identity} transaction {TransactionId} started by {IdTag} at {MeterWh} Wh")]
    public static partial void TransactionStarted(ILogger logger, string identity, string transactionId, string? idTag, decimal? meterWh);

    [LoggerMessage(115, LogLevel.Debug, "{Identity} meter {MeterWh} Wh (transaction {TransactionId})")]
    public static partial void MeterValue(ILogger logger, string identity, decimal meterWh, string? transactionId);

    [LoggerMessage(116, LogLevel.Information, "{Identity} transaction {TransactionId} stopped ({Reason}): {EnergyWh} Wh delivered")]
    public static partial void TransactionStopped(ILogger logger, string identity, string transactionId, string? reason, decimal energyWh);

    [LoggerMessage(117, LogLevel.Information, "{Identity} DataTransfer {VendorId}/{MessageId}: {Status}")]
    public static partial void DataTransfer(ILogger logger, string identity, string vendorId, string? messageId, string status);

    [LoggerMessage(118, LogLevel.Information, "{Identity} NotifyReport {RequestId} part {SeqNo}: {Count} variables")]
    public static partial void Report(ILogger logger, string identity, int requestId, int seqNo, int count);

    [LoggerMessage(119, LogLevel.Debug, "{Identity} NotifyPeriodicEventStream {StreamId}: {Count} values")]
    public static partial void Stream(ILogger logger, string identity, int streamId, int count);

    [LoggerMessage(120, LogLevel.Warning, "{Identity} {Direction} {Action} failed validation: {Code} {Description}")]
    public static partial void ValidationFailed(ILogger logger, string identity, string direction, string action, string code, string description);

    [LoggerMessage(130, LogLevel.Debug, "{Identity} {Direction} {Kind} {Action} {Payload}")]
    public static partial void Message(ILogger logger, string identity, string direction, string kind, string? action, string payload);
}

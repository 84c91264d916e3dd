using Microsoft.Extensions.Logging;

namespace Ocpp.Rpc.Samples.Csms;

/// <summary>
/// The CSMS sample's log events (source-generated, fixed event ids). Every value a station sent (identity, vendor,
/// idTag, action, payload, ...) is an <see cref="OcppLogText"/>: written with control characters escaped, so a station
/// cannot forge log lines or send escape sequences to the operator's terminal.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Information, "Listening on {Addresses} (security profile {Profile}, strict mode {Strict}); stations connect to /ocpp/{{identity}}")]
    public static partial void Listening(ILogger logger, string addresses, int profile, bool strict);

    [LoggerMessage(101, LogLevel.Information, "{Identity} connected ({Protocol})")]
    public static partial void StationConnected(ILogger logger, OcppLogText identity, OcppLogText protocol);

    [LoggerMessage(102, LogLevel.Information, "{Identity} disconnected (code {Code})")]
    public static partial void StationDisconnected(ILogger logger, OcppLogText identity, int code);

    [LoggerMessage(103, LogLevel.Warning, "Refused {Identity}: HTTP {StatusCode}, {Reason}")]
    public static partial void HandshakeRejected(ILogger logger, OcppLogText identity, int statusCode, OcppLogText reason);

    [LoggerMessage(110, LogLevel.Information, "{Identity} booted: {Vendor} {Model}, firmware {Firmware} -> {Status}")]
    public static partial void Booted(ILogger logger, OcppLogText identity, OcppLogText vendor, OcppLogText model, OcppLogText firmware, string status);

    [LoggerMessage(111, LogLevel.Debug, "{Identity} heartbeat")]
    public static partial void Heartbeat(ILogger logger, OcppLogText identity);

    [LoggerMessage(112, LogLevel.Information, "{Identity} connector {Connector}: {Status}")]
    public static partial void ConnectorStatus(ILogger logger, OcppLogText identity, OcppLogText connector, OcppLogText status);

    [LoggerMessage(113, LogLevel.Information, "{Identity} authorize {IdTag}: {Status}")]
    public static partial void Authorized(ILogger logger, OcppLogText identity, OcppLogText idTag, string status);

    [LoggerMessage(114, LogLevel.Information, "{Identity} transaction {TransactionId} started by {IdTag} at {MeterWh} Wh")]
    public static partial void TransactionStarted(ILogger logger, OcppLogText identity, OcppLogText transactionId, OcppLogText idTag, decimal? meterWh);

    [LoggerMessage(115, LogLevel.Debug, "{Identity} meter {MeterWh} Wh (transaction {TransactionId})")]
    public static partial void MeterValue(ILogger logger, OcppLogText identity, decimal meterWh, OcppLogText transactionId);

    [LoggerMessage(116, LogLevel.Information, "{Identity} transaction {TransactionId} stopped ({Reason}): {EnergyWh} Wh delivered")]
    public static partial void TransactionStopped(ILogger logger, OcppLogText identity, OcppLogText transactionId, OcppLogText reason, decimal energyWh);

    [LoggerMessage(117, LogLevel.Information, "{Identity} DataTransfer {VendorId}/{MessageId}: {Status}")]
    public static partial void DataTransfer(ILogger logger, OcppLogText identity, OcppLogText vendorId, OcppLogText messageId, string status);

    [LoggerMessage(118, LogLevel.Information, "{Identity} NotifyReport {RequestId} part {SeqNo}: {Count} variables")]
    public static partial void Report(ILogger logger, OcppLogText identity, int requestId, int seqNo, int count);

    [LoggerMessage(119, LogLevel.Debug, "{Identity} NotifyPeriodicEventStream {StreamId}: {Count} values")]
    public static partial void Stream(ILogger logger, OcppLogText identity, int streamId, int count);

    [LoggerMessage(120, LogLevel.Warning, "{Identity} {Direction} {Action} failed validation: {Code} {Description}")]
    public static partial void ValidationFailed(ILogger logger, OcppLogText identity, string direction, OcppLogText action, string code, OcppLogText description);

    [LoggerMessage(130, LogLevel.Debug, "{Identity} {Direction} {Kind} {Action} {Payload}")]
    public static partial void Message(ILogger logger, OcppLogText identity, string direction, OcppLogText kind, OcppLogText action, OcppLogText payload);
}

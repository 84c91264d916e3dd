using System.Globalization;
using Microsoft.Extensions.Logging;
using Ocpp.Rpc.Messages.V21;

namespace Ocpp.Rpc.Samples.Csms.Handlers;

/// <summary>The CSMS's answers to OCPP 2.1 stations (typed handlers, registered for <c>ocpp2.1</c> only).</summary>
internal static class V21Handlers
{
    public static void Register(IOcppHandlerRegistry registry, CsmsState state, CsmsOptions options, ILogger logger)
    {
        registry.Handle<BootNotificationRequest, BootNotificationResponse>((request, call) =>
        {
            string identity = call.Identity;
            const RegistrationStatusEnumType status = RegistrationStatusEnumType.Accepted;
            ChargingStationType station = request.ChargingStation;
            state.UpdateStation(identity, s => s with
            {
                Vendor = station.VendorName,
                Model = station.Model,
                FirmwareVersion = station.FirmwareVersion,
                BootStatus = status.ToString(),
                Boots = s.Boots + 1,
            });
            Log.Booted(logger, identity, station.VendorName, station.Model, station.FirmwareVersion, status.ToString());
            return new BootNotificationResponse { Status = status, Interval = options.HeartbeatInterval, CurrentTime = DateTimeOffset.UtcNow };
        });

        registry.Handle<HeartbeatRequest, HeartbeatResponse>((request, call) =>
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            state.Heartbeat(call.Identity, now);
            Log.Heartbeat(logger, call.Identity);
            return new HeartbeatResponse { CurrentTime = now };
        });

        registry.Handle<StatusNotificationRequest, StatusNotificationResponse>((request, call) =>
        {
            string connector = string.Create(CultureInfo.InvariantCulture, $"{request.EvseId}/{request.ConnectorId}");
            state.ConnectorStatus(call.Identity, connector, request.ConnectorStatus.ToString());
            Log.ConnectorStatus(logger, call.Identity, connector, request.ConnectorStatus.ToString());
            return new StatusNotificationResponse();
        });

        registry.Handle<AuthorizeRequest, AuthorizeResponse>((request, call) =>
        {
            IdTokenInfoType info = Authorize(request.IdToken);
            Log.Authorized(logger, call.Identity, request.IdToken.IdToken, info.Status.ToString());
            return new AuthorizeResponse { IdTokenInfo = info };
        });

        registry.Handle<TransactionEventRequest, TransactionEventResponse>((request, call) =>
        {
            string identity = call.Identity;
            string transactionId = request.TransactionInfo.TransactionId;
            decimal? wh = EnergyReadings.LastRegisterWh(request.MeterValue);
            if (request.EventType == TransactionEventEnumType.Started)
            {
                TransactionInfo started = state.StartTransaction(identity, transactionId, request.Timestamp, t => t with
                {
                    IdTag = request.IdToken?.IdToken,
                    Connector = request.Evse?.Id,
                    RemoteStartId = request.TransactionInfo.RemoteStartId,
                });
                Log.TransactionStarted(logger, identity, transactionId, started.IdTag, wh);
            }

            if (wh is { } reading)
            {
                state.MeterReading(identity, transactionId, reading);
                Log.MeterValue(logger, identity, reading, transactionId);
            }

            if (request.EventType == TransactionEventEnumType.Ended)
            {
                string reason = (request.TransactionInfo.StoppedReason ?? ReasonEnumType.Local).ToString();
                TransactionInfo stopped = state.StopTransaction(identity, transactionId, request.Timestamp, null, reason);
                Log.TransactionStopped(logger, identity, transactionId, stopped.StopReason, stopped.EnergyWh);
            }

            // The idToken is sent (and authorized) once, when it is first used in the transaction.
            return new TransactionEventResponse { IdTokenInfo = request.IdToken is { } token ? Authorize(token) : null };
        });

        registry.Handle<MeterValuesRequest, MeterValuesResponse>((request, call) =>
        {
            if (EnergyReadings.LastRegisterWh(request.MeterValue) is { } wh)
            {
                state.MeterReading(call.Identity, null, wh);
                Log.MeterValue(logger, call.Identity, wh, null);
            }

            return new MeterValuesResponse();
        });

        registry.Handle<NotifyReportRequest, NotifyReportResponse>((request, call) =>
        {
            int count = request.ReportData?.Count ?? 0;
            state.UpdateStation(call.Identity, s => s with { ReportParts = s.ReportParts + 1, ReportedVariables = s.ReportedVariables + count });
            Log.Report(logger, call.Identity, request.RequestId, request.SeqNo, count);
            return new NotifyReportResponse();
        });

        registry.Handle<DataTransferRequest, DataTransferResponse>((request, call) =>
        {
            DataTransferStatusEnumType status = request.VendorId == DataTransfers.VendorId ? DataTransferStatusEnumType.Accepted : DataTransferStatusEnumType.UnknownVendorId;
            state.UpdateStation(call.Identity, s => s with { DataTransfers = s.DataTransfers + 1 });
            Log.DataTransfer(logger, call.Identity, request.VendorId, request.MessageId, status.ToString());
            return new DataTransferResponse { Status = status, Data = status == DataTransferStatusEnumType.Accepted ? request.Data : null };
        });

        // 2.1's one-way SEND: never answered, so the handler returns nothing.
        registry.HandleSend<NotifyPeriodicEventStreamMessage>((message, call) =>
        {
            state.UpdateStation(call.Identity, s => s with { StreamMessages = s.StreamMessages + 1 });
            Log.Stream(logger, call.Identity, message.Id, message.Data.Count);
            return ValueTask.CompletedTask;
        });
    }

    private static IdTokenInfoType Authorize(IdTokenType token) => new()
    {
        Status = CsmsState.IsAuthorized(token.IdToken) ? AuthorizationStatusEnumType.Accepted : AuthorizationStatusEnumType.Blocked,
        CacheExpiryDateTime = DateTimeOffset.UtcNow.AddDays(1),
    };
}

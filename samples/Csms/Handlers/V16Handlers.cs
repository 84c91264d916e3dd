using System.Globalization;
using Microsoft.Extensions.Logging;
using Ocpp.Rpc.Messages.V16;

namespace Ocpp.Rpc.Samples.Csms.Handlers;

/// <summary>The CSMS's answers to OCPP 1.6 stations (typed handlers, registered for <c>ocpp1.6</c> only).</summary>
internal static class V16Handlers
{
    public static void Register(IOcppHandlerRegistry registry, CsmsState state, CsmsOptions options, ILogger logger)
    {
        registry.Handle<BootNotificationRequest, BootNotificationResponse>((request, call) =>
        {
            string identity = call.Identity;
            const RegistrationStatus status = RegistrationStatus.Accepted;
            state.UpdateStation(identity, s => s with
            {
                Vendor = request.ChargePointVendor,
                Model = request.ChargePointModel,
                FirmwareVersion = request.FirmwareVersion,
                BootStatus = status.ToString(),
                Boots = s.Boots + 1,
            });
            Log.Booted(logger, identity, request.ChargePointVendor, request.ChargePointModel, request.FirmwareVersion, status.ToString());
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
            string connector = request.ConnectorId.ToString(CultureInfo.InvariantCulture);
            string status = request.ErrorCode == ChargePointErrorCode.NoError ? request.Status.ToString() : $"{request.Status} ({request.ErrorCode})";
            state.ConnectorStatus(call.Identity, connector, status);
            Log.ConnectorStatus(logger, call.Identity, connector, status);
            return new StatusNotificationResponse();
        });

        registry.Handle<AuthorizeRequest, AuthorizeResponse>((request, call) =>
        {
            IdTagInfo info = Authorize(request.IdTag);
            Log.Authorized(logger, call.Identity, request.IdTag, info.Status.ToString());
            return new AuthorizeResponse { IdTagInfo = info };
        });

        registry.Handle<StartTransactionRequest, StartTransactionResponse>((request, call) =>
        {
            IdTagInfo info = Authorize(request.IdTag);
            int transactionId = state.NextTransactionId();
            string id = transactionId.ToString(CultureInfo.InvariantCulture);

            // 1.6 answers with a transaction id even when the idTag is refused; the station then stops the transaction.
            state.StartTransaction(call.Identity, id, request.Timestamp, t => t with
            {
                IdTag = request.IdTag,
                Connector = request.ConnectorId,
                MeterStartWh = request.MeterStart,
                LastMeterWh = request.MeterStart,
            });
            Log.TransactionStarted(logger, call.Identity, id, request.IdTag, request.MeterStart);
            return new StartTransactionResponse { TransactionId = transactionId, IdTagInfo = info };
        });

        registry.Handle<MeterValuesRequest, MeterValuesResponse>((request, call) =>
        {
            if (EnergyReadings.LastRegisterWh(request.MeterValue) is { } wh)
            {
                string? transactionId = request.TransactionId?.ToString(CultureInfo.InvariantCulture);
                state.MeterReading(call.Identity, transactionId, wh);
                Log.MeterValue(logger, call.Identity, wh, transactionId);
            }

            return new MeterValuesResponse();
        });

        registry.Handle<StopTransactionRequest, StopTransactionResponse>((request, call) =>
        {
            string id = request.TransactionId.ToString(CultureInfo.InvariantCulture);
            if (EnergyReadings.LastRegisterWh(request.TransactionData) is { } wh)
            {
                state.MeterReading(call.Identity, id, wh);
            }

            TransactionInfo stopped = state.StopTransaction(call.Identity, id, request.Timestamp, request.MeterStop, (request.Reason ?? Reason.Local).ToString());
            state.MeterReading(call.Identity, null, request.MeterStop);
            Log.TransactionStopped(logger, call.Identity, id, stopped.StopReason, stopped.EnergyWh);
            return new StopTransactionResponse { IdTagInfo = request.IdTag is { } idTag ? Authorize(idTag) : null };
        });

        registry.Handle<DataTransferRequest, DataTransferResponse>((request, call) =>
        {
            // Vendor-specific: this sample knows one vendor id and echoes the data back.
            DataTransferStatus status = request.VendorId == DataTransfers.VendorId ? DataTransferStatus.Accepted : DataTransferStatus.UnknownVendorId;
            state.UpdateStation(call.Identity, s => s with { DataTransfers = s.DataTransfers + 1 });
            Log.DataTransfer(logger, call.Identity, request.VendorId, request.MessageId, status.ToString());
            return new DataTransferResponse { Status = status, Data = status == DataTransferStatus.Accepted ? request.Data : null };
        });
    }

    private static IdTagInfo Authorize(string idTag) => new()
    {
        Status = CsmsState.IsAuthorized(idTag) ? AuthorizationStatus.Accepted : AuthorizationStatus.Blocked,
        ExpiryDate = DateTimeOffset.UtcNow.AddDays(1),
    };
}

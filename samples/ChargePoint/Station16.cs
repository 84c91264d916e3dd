using System.Globalization;
using Ocpp.Rpc.Client;
using Ocpp.Rpc.Messages.V16;

namespace Ocpp.Rpc.Samples.ChargePoint;

/// <summary>The simulated station speaking OCPP 1.6 (typed records of <c>Ocpp.Rpc.Messages.V16</c>).</summary>
internal sealed class Station16(string identity, SimulatorOptions options, TextWriter output) : SimulatedStation(identity, options, output)
{
    public override string Protocol => OcppProtocols.Ocpp16;

    protected override void RegisterHandlers()
    {
        Client.Handle<RemoteStartTransactionRequest, RemoteStartTransactionResponse>((request, call) => new RemoteStartTransactionResponse
        {
            Status = request.ConnectorId is null or 1 && TryRemoteStart(request.IdTag, null) ? AcceptedRejectedStatus.Accepted : AcceptedRejectedStatus.Rejected,
        });
        Client.Handle<RemoteStopTransactionRequest, RemoteStopTransactionResponse>((request, call) => new RemoteStopTransactionResponse
        {
            Status = TryRemoteStop(request.TransactionId.ToString(CultureInfo.InvariantCulture)) ? AcceptedRejectedStatus.Accepted : AcceptedRejectedStatus.Rejected,
        });
        Client.Handle<ResetRequest, ResetResponse>((request, call) =>
        {
            ScheduleReset(whenIdle: false);
            return new ResetResponse { Status = AcceptedRejectedStatus.Accepted };
        });
        Client.Handle<GetConfigurationRequest, GetConfigurationResponse>((request, call) =>
        {
            IReadOnlyList<string> keys = request.Key is { Count: > 0 } asked ? asked : [.. Configuration.Keys];
            var known = new List<KeyValue>();
            var unknown = new List<string>();
            foreach (string key in keys)
            {
                if (TryGetConfiguration(key, out string value, out bool readOnly))
                {
                    known.Add(new KeyValue { Key = key, Value = value, Readonly = readOnly });
                }
                else
                {
                    unknown.Add(key);
                }
            }

            return new GetConfigurationResponse { ConfigurationKey = known, UnknownKey = unknown.Count > 0 ? unknown : null };
        });
        Client.Handle<ChangeConfigurationRequest, ChangeConfigurationResponse>((request, call) => new ChangeConfigurationResponse
        {
            Status = TrySetConfiguration(request.Key, request.Value) switch
            {
                true => ConfigurationStatus.Accepted,
                false => ConfigurationStatus.Rejected,
                null => ConfigurationStatus.NotSupported,
            },
        });
    }

    protected override async Task<(bool Accepted, string Status, int Interval)> BootAsync(bool afterReset, CancellationToken cancellationToken)
    {
        BootNotificationResponse response = await Client.CallAsync(new BootNotificationRequest
        {
            ChargePointVendor = "Ocpp.Rpc",
            ChargePointModel = "Simulator",
            ChargePointSerialNumber = Identity.Length <= 25 ? Identity : null,
            FirmwareVersion = "1.0.0",
        }, cancellationToken: cancellationToken);
        return (response.Status == RegistrationStatus.Accepted, response.Status.ToString(), response.Interval);
    }

    protected override Task HeartbeatAsync(CancellationToken cancellationToken) =>
        Client.CallAsync(new HeartbeatRequest(), cancellationToken: cancellationToken);

    protected override Task StatusAsync(bool occupied, bool charging, CancellationToken cancellationToken) =>
        Client.CallAsync(new StatusNotificationRequest
        {
            ConnectorId = 1,
            ErrorCode = ChargePointErrorCode.NoError,
            Status = (occupied, charging) switch
            {
                (false, _) => ChargePointStatus.Available,
                (true, false) => ChargePointStatus.Preparing,
                (true, true) => ChargePointStatus.Charging,
            },
            Timestamp = DateTimeOffset.UtcNow,
        }, cancellationToken: cancellationToken);

    protected override Task AfterBootAsync(CancellationToken cancellationToken) =>
        Client.CallAsync(new DataTransferRequest { VendorId = "org.ocpp-rpc.samples", MessageId = "SimulatorStarted", Data = "1.0.0" }, cancellationToken: cancellationToken);

    protected override async Task<bool> AuthorizeAsync(string idTag, CancellationToken cancellationToken) =>
        (await Client.CallAsync(new AuthorizeRequest { IdTag = idTag }, cancellationToken: cancellationToken)).IdTagInfo.Status == AuthorizationStatus.Accepted;

    protected override async Task<bool> StartTransactionAsync(Session session, CancellationToken cancellationToken)
    {
        var start = new StartTransactionRequest
        {
            ConnectorId = 1,
            IdTag = session.IdTag,
            MeterStart = (int)session.MeterStartWh,
            Timestamp = DateTimeOffset.UtcNow,
        };
        if (session.Offline)
        {
            // In 1.6 the CSMS gives the transaction id, so the start is queued and the id comes with its answer.
            session.PendingStart = await Client.EnqueueAsync(start, cancellationToken);
            return true;
        }

        StartTransactionResponse response = await Client.CallAsync(start, cancellationToken: cancellationToken);
        // Set right after the await, before this connection dispatches any CALL that arrived after the
        // StartTransaction.conf: a RemoteStopTransaction the CSMS sends back to back with the conf finds the id (the
        // library runs this continuation before the next inbound handler; README "Calls", Ordering). This awaits on
        // the thread pool (ChargeAsync runs under Task.Run), where that guarantee holds.
        session.TransactionId = response.TransactionId.ToString(CultureInfo.InvariantCulture);
        return response.IdTagInfo.Status == AuthorizationStatus.Accepted;
    }

    // Meter values of a transaction started offline whose start the CSMS has not answered yet go without the id
    // (1.6 allows MeterValues without a transaction); they are queued in order all the same.
    protected override Task MeterValuesAsync(Session session, CancellationToken cancellationToken) =>
        TransactionMessageAsync(new MeterValuesRequest
        {
            ConnectorId = 1,
            TransactionId = KnownTransactionId(session),
            MeterValue = [Reading(ReadingContext.SamplePeriodic)],
        }, cancellationToken);

    // StopTransaction needs the CSMS's id: after an offline start it waits for the queued start's answer (the stop of a
    // station shut down before the CSMS answered is therefore not queued; 1.6 itself has no way to name it).
    protected override async Task StopTransactionAsync(Session session, CancellationToken cancellationToken)
    {
        if (session.PendingStart is { } pending && session.TransactionId is null)
        {
            OcppMessageResult started = await pending.Completion.WaitAsync(cancellationToken);
            if (!started.IsAnswered)
            {
                Say($"the offline start was dropped ({started.ErrorCode}); no StopTransaction to send");
                return;
            }

            session.TransactionId = started.GetResponse(StartTransactionRequest.ResponseTypeInfo).TransactionId.ToString(CultureInfo.InvariantCulture);
        }

        await TransactionMessageAsync(new StopTransactionRequest
        {
            TransactionId = int.Parse(session.TransactionId!, CultureInfo.InvariantCulture),
            MeterStop = (int)RegisterWh,
            Timestamp = DateTimeOffset.UtcNow,
            Reason = session.Cause switch
            {
                StopCause.Remote => Reason.Remote,
                StopCause.Reset => Reason.SoftReset,
                StopCause.DeAuthorized => Reason.DeAuthorized,
                _ => Reason.Local,
            },
            TransactionData = [Reading(ReadingContext.TransactionEnd)],
        }, cancellationToken);
    }

    private static int? KnownTransactionId(Session session)
    {
        if (session.TransactionId is null && session.PendingStart?.Completion is { IsCompletedSuccessfully: true } done && done.Result.IsAnswered)
        {
            session.TransactionId = done.Result.GetResponse(StartTransactionRequest.ResponseTypeInfo).TransactionId.ToString(CultureInfo.InvariantCulture);
        }

        return session.TransactionId is null ? null : int.Parse(session.TransactionId, CultureInfo.InvariantCulture);
    }

    private MeterValue Reading(ReadingContext context) => new()
    {
        Timestamp = DateTimeOffset.UtcNow,
        SampledValue =
        [
            new SampledValue
            {
                Value = ((int)RegisterWh).ToString(CultureInfo.InvariantCulture),
                Measurand = Measurand.EnergyActiveImportRegister,
                Unit = UnitOfMeasure.Wh,
                Context = context,
            },
            new SampledValue
            {
                Value = Options.PowerW.ToString("0", CultureInfo.InvariantCulture),
                Measurand = Measurand.PowerActiveImport,
                Unit = UnitOfMeasure.W,
                Context = context,
            },
        ],
    };
}

using System.Globalization;
using System.Text.Json;
using Ocpp.Rpc.Messages.V201;

namespace Ocpp.Rpc.Samples.ChargePoint;

/// <summary>The simulated station speaking OCPP 2.0.1 (typed records of <c>Ocpp.Rpc.Messages.V201</c>).</summary>
/// <remarks>Each OCPP version has its own records, so <see cref="Station21"/> mirrors this file for 2.1.</remarks>
internal sealed class Station201(string identity, SimulatorOptions options, TextWriter output) : SimulatedStation(identity, options, output)
{
    /// <summary>The device-model variables this station has, mapped onto the base class's configuration keys.</summary>
    private static readonly Dictionary<(string Component, string Variable), string> Variables = new()
    {
        [("OCPPCommCtrlr", "HeartbeatInterval")] = "HeartbeatInterval",
        [("SampledDataCtrlr", "TxUpdatedInterval")] = "MeterValueSampleInterval",
    };

    public override string Protocol => OcppProtocols.Ocpp201;

    protected override void RegisterHandlers()
    {
        Client.Handle<RequestStartTransactionRequest, RequestStartTransactionResponse>((request, call) => new RequestStartTransactionResponse
        {
            Status = request.EvseId is null or 1 && TryRemoteStart(request.IdToken.IdToken, request.RemoteStartId) ? RequestStartStopStatusEnumType.Accepted : RequestStartStopStatusEnumType.Rejected,
        });
        Client.Handle<RequestStopTransactionRequest, RequestStopTransactionResponse>((request, call) => new RequestStopTransactionResponse
        {
            Status = TryRemoteStop(request.TransactionId) ? RequestStartStopStatusEnumType.Accepted : RequestStartStopStatusEnumType.Rejected,
        });
        Client.Handle<ResetRequest, ResetResponse>((request, call) => new ResetResponse
        {
            Status = ScheduleReset(whenIdle: request.Type == ResetEnumType.OnIdle) ? ResetStatusEnumType.Accepted : ResetStatusEnumType.Scheduled,
        });
        Client.Handle<GetVariablesRequest, GetVariablesResponse>((request, call) => new GetVariablesResponse
        {
            GetVariableResult = [.. request.GetVariableData.Select(data =>
            {
                GetVariableStatusEnumType status = Find(data.Component.Name, data.Variable.Name, out string? key);
                string? value = null;
                if (status == GetVariableStatusEnumType.Accepted && data.AttributeType is not (null or AttributeEnumType.Actual))
                {
                    status = GetVariableStatusEnumType.NotSupportedAttributeType;
                }
                else if (status == GetVariableStatusEnumType.Accepted)
                {
                    TryGetConfiguration(key!, out value, out _);
                }

                return new GetVariableResultType { Component = data.Component, Variable = data.Variable, AttributeStatus = status, AttributeValue = value };
            })],
        });
        Client.Handle<SetVariablesRequest, SetVariablesResponse>((request, call) => new SetVariablesResponse
        {
            SetVariableResult = [.. request.SetVariableData.Select(data =>
            {
                SetVariableStatusEnumType status = Find(data.Component.Name, data.Variable.Name, out string? key) switch
                {
                    GetVariableStatusEnumType.UnknownComponent => SetVariableStatusEnumType.UnknownComponent,
                    GetVariableStatusEnumType.UnknownVariable => SetVariableStatusEnumType.UnknownVariable,
                    _ when data.AttributeType is not (null or AttributeEnumType.Actual) => SetVariableStatusEnumType.NotSupportedAttributeType,
                    _ => TrySetConfiguration(key!, data.AttributeValue) == true ? SetVariableStatusEnumType.Accepted : SetVariableStatusEnumType.Rejected,
                };
                return new SetVariableResultType { Component = data.Component, Variable = data.Variable, AttributeStatus = status };
            })],
        });
        Client.Handle<GetBaseReportRequest, GetBaseReportResponse>((request, call) =>
        {
            // The report itself follows in NotifyReport, after this answer.
            _ = Task.Run(() => SendReportAsync(request.RequestId));
            return new GetBaseReportResponse { Status = GenericDeviceModelStatusEnumType.Accepted };
        });
    }

    protected override async Task<(bool Accepted, string Status, int Interval)> BootAsync(bool afterReset, CancellationToken cancellationToken)
    {
        BootNotificationResponse response = await Client.CallAsync(new BootNotificationRequest
        {
            Reason = afterReset ? BootReasonEnumType.RemoteReset : BootReasonEnumType.PowerUp,
            ChargingStation = new ChargingStationType { VendorName = "Ocpp.Rpc", Model = "Simulator", SerialNumber = Identity.Length <= 25 ? Identity : null, FirmwareVersion = "1.0.0" },
        }, cancellationToken: cancellationToken);
        return (response.Status == RegistrationStatusEnumType.Accepted, response.Status.ToString(), response.Interval);
    }

    protected override Task HeartbeatAsync(CancellationToken cancellationToken) =>
        Client.CallAsync(new HeartbeatRequest(), cancellationToken: cancellationToken);

    protected override Task StatusAsync(bool occupied, bool charging, CancellationToken cancellationToken) =>
        charging
            ? Task.CompletedTask // 2.x has no Charging connector status: the transaction says it.
            : Client.CallAsync(new StatusNotificationRequest
            {
                EvseId = 1,
                ConnectorId = 1,
                ConnectorStatus = occupied ? ConnectorStatusEnumType.Occupied : ConnectorStatusEnumType.Available,
                Timestamp = DateTimeOffset.UtcNow,
            }, cancellationToken: cancellationToken);

    protected override async Task AfterBootAsync(CancellationToken cancellationToken)
    {
        await Client.CallAsync(new DataTransferRequest { VendorId = "org.ocpp-rpc.samples", MessageId = "SimulatorStarted", Data = JsonElement.Parse("\"1.0.0\"") }, cancellationToken: cancellationToken);
        await Client.CallAsync(new MeterValuesRequest { EvseId = 1, MeterValue = [Reading(ReadingContextEnumType.SampleClock)] }, cancellationToken: cancellationToken);
    }

    protected override async Task<bool> AuthorizeAsync(string idTag, CancellationToken cancellationToken) =>
        (await Client.CallAsync(new AuthorizeRequest { IdToken = Token(idTag, remote: false) }, cancellationToken: cancellationToken)).IdTokenInfo.Status == AuthorizationStatusEnumType.Accepted;

    protected override async Task<bool> StartTransactionAsync(Session session, CancellationToken cancellationToken)
    {
        session.TransactionId = Guid.NewGuid().ToString("N");
        if (session.Offline)
        {
            // The station names the transaction itself, so the rest of it can be queued before the CSMS knows it.
            await Client.EnqueueAsync(TransactionEvent(session, TransactionEventEnumType.Started, session.Remote ? TriggerReasonEnumType.RemoteStart : TriggerReasonEnumType.Authorized, ReadingContextEnumType.TransactionBegin), cancellationToken);
            return true;
        }

        TransactionEventResponse response = await Client.CallAsync(TransactionEvent(session, TransactionEventEnumType.Started, session.Remote ? TriggerReasonEnumType.RemoteStart : TriggerReasonEnumType.Authorized, ReadingContextEnumType.TransactionBegin), cancellationToken: cancellationToken);
        return response.IdTokenInfo?.Status is null or AuthorizationStatusEnumType.Accepted;
    }

    protected override Task MeterValuesAsync(Session session, CancellationToken cancellationToken) =>
        TransactionMessageAsync(TransactionEvent(session, TransactionEventEnumType.Updated, TriggerReasonEnumType.MeterValuePeriodic, ReadingContextEnumType.SamplePeriodic), cancellationToken);

    protected override Task StopTransactionAsync(Session session, CancellationToken cancellationToken) =>
        TransactionMessageAsync(TransactionEvent(session, TransactionEventEnumType.Ended, session.Cause switch
        {
            StopCause.Remote => TriggerReasonEnumType.RemoteStop,
            StopCause.Reset => TriggerReasonEnumType.ResetCommand,
            StopCause.DeAuthorized => TriggerReasonEnumType.Deauthorized,
            _ => TriggerReasonEnumType.StopAuthorized,
        }, ReadingContextEnumType.TransactionEnd), cancellationToken);

    private TransactionEventRequest TransactionEvent(Session session, TransactionEventEnumType eventType, TriggerReasonEnumType trigger, ReadingContextEnumType context) =>
        new()
        {
            EventType = eventType,
            Timestamp = DateTimeOffset.UtcNow,
            TriggerReason = trigger,
            SeqNo = session.SeqNo++,
            Offline = Client.State == Ocpp.Rpc.Client.OcppClientState.Open ? null : true,
            Evse = eventType == TransactionEventEnumType.Started ? new EVSEType { Id = 1, ConnectorId = 1 } : null,
            IdToken = eventType == TransactionEventEnumType.Started ? Token(session.IdTag, session.Remote) : null,
            MeterValue = [Reading(context)],
            TransactionInfo = new TransactionType
            {
                TransactionId = session.TransactionId!,
                ChargingState = eventType == TransactionEventEnumType.Ended ? ChargingStateEnumType.EVConnected : ChargingStateEnumType.Charging,
                RemoteStartId = eventType == TransactionEventEnumType.Started ? session.RemoteStartId : null,
                StoppedReason = eventType != TransactionEventEnumType.Ended ? null : session.Cause switch
                {
                    StopCause.Remote => ReasonEnumType.Remote,
                    StopCause.Reset => ReasonEnumType.ImmediateReset,
                    StopCause.DeAuthorized => ReasonEnumType.DeAuthorized,
                    _ => ReasonEnumType.Local,
                },
            },
        };

    private async Task SendReportAsync(int requestId)
    {
        await Task.Delay(100);
        try
        {
            await Client.CallAsync(new NotifyReportRequest
            {
                RequestId = requestId,
                GeneratedAt = DateTimeOffset.UtcNow,
                SeqNo = 0,
                ReportData = [.. Variables.Select(v => new ReportDataType
                {
                    Component = new ComponentType { Name = v.Key.Component },
                    Variable = new VariableType { Name = v.Key.Variable },
                    VariableAttribute = [new VariableAttributeType
                    {
                        Value = TryGetConfiguration(v.Value, out string value, out _) ? value : null,
                        Mutability = MutabilityEnumType.ReadWrite,
                    }],
                    VariableCharacteristics = new VariableCharacteristicsType { DataType = DataEnumType.Integer, Unit = "s", SupportsMonitoring = false },
                })],
            });
        }
        catch (Exception ex) when (ex is OcppRpcException or OcppCallTimeoutException or OcppConnectionClosedException)
        {
            Say($"NotifyReport failed: {ex.Message}");
        }
    }

    private static GetVariableStatusEnumType Find(string component, string variable, out string? key)
    {
        key = null;
        if (!Variables.Keys.Any(k => k.Component == component))
        {
            return GetVariableStatusEnumType.UnknownComponent;
        }

        return Variables.TryGetValue((component, variable), out key) ? GetVariableStatusEnumType.Accepted : GetVariableStatusEnumType.UnknownVariable;
    }

    private static IdTokenType Token(string idTag, bool remote) =>
        new() { IdToken = idTag, Type = remote ? IdTokenEnumType.Central : IdTokenEnumType.ISO14443 };

    private MeterValueType Reading(ReadingContextEnumType context) => new()
    {
        Timestamp = DateTimeOffset.UtcNow,
        SampledValue =
        [
            new SampledValueType
            {
                Value = Math.Round((decimal)RegisterWh, 1),
                Measurand = MeasurandEnumType.EnergyActiveImportRegister,
                UnitOfMeasure = new UnitOfMeasureType { Unit = "Wh" },
                Context = context,
            },
            new SampledValueType
            {
                Value = (decimal)Options.PowerW,
                Measurand = MeasurandEnumType.PowerActiveImport,
                UnitOfMeasure = new UnitOfMeasureType { Unit = "W" },
                Context = context,
            },
        ],
    };
}

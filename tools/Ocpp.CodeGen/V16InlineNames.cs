namespace Ocpp.CodeGen;

/// <summary>
/// Names for the enums and objects that the OCPP 1.6 core schemas inline. The keys are schema paths
/// (<c>Action.req|conf/property/...</c>, array items named by their array property); a shape found at several paths
/// takes the name of the first listed path it occurs at. The names follow the OCPP 1.6 specification's data types,
/// except <c>AcceptedRejectedStatus</c>: the specification has one name per message for that shared shape.
/// A shape missing here is named after its property (see <see cref="TypeModelBuilder"/>).
/// </summary>
public static class V16InlineNames
{
    /// <summary>Path to type name.</summary>
    public static IReadOnlyDictionary<string, string> ByPath { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Authorize.conf/idTagInfo"] = "IdTagInfo",
        ["Authorize.conf/idTagInfo/status"] = "AuthorizationStatus",
        ["BootNotification.conf/status"] = "RegistrationStatus",
        ["CancelReservation.conf/status"] = "AcceptedRejectedStatus",
        ["ChangeAvailability.req/type"] = "AvailabilityType",
        ["ChangeAvailability.conf/status"] = "AvailabilityStatus",
        ["ChangeConfiguration.conf/status"] = "ConfigurationStatus",
        ["ClearChargingProfile.req/chargingProfilePurpose"] = "ChargingProfilePurposeType",
        ["ClearChargingProfile.conf/status"] = "ClearChargingProfileStatus",
        ["DataTransfer.conf/status"] = "DataTransferStatus",
        ["DiagnosticsStatusNotification.req/status"] = "DiagnosticsStatus",
        ["FirmwareStatusNotification.req/status"] = "FirmwareStatus",
        ["GetCompositeSchedule.req/chargingRateUnit"] = "ChargingRateUnitType",
        ["GetCompositeSchedule.conf/chargingSchedule"] = "ChargingSchedule",
        ["GetCompositeSchedule.conf/chargingSchedule/chargingSchedulePeriod"] = "ChargingSchedulePeriod",
        ["GetConfiguration.conf/configurationKey"] = "KeyValue",
        ["MeterValues.req/meterValue"] = "MeterValue",
        ["MeterValues.req/meterValue/sampledValue"] = "SampledValue",
        ["MeterValues.req/meterValue/sampledValue/context"] = "ReadingContext",
        ["MeterValues.req/meterValue/sampledValue/format"] = "ValueFormat",
        ["MeterValues.req/meterValue/sampledValue/measurand"] = "Measurand",
        ["MeterValues.req/meterValue/sampledValue/phase"] = "Phase",
        ["MeterValues.req/meterValue/sampledValue/location"] = "Location",
        ["MeterValues.req/meterValue/sampledValue/unit"] = "UnitOfMeasure",
        ["RemoteStartTransaction.req/chargingProfile"] = "ChargingProfile",
        ["RemoteStartTransaction.req/chargingProfile/chargingProfileKind"] = "ChargingProfileKindType",
        ["RemoteStartTransaction.req/chargingProfile/recurrencyKind"] = "RecurrencyKindType",
        ["ReserveNow.conf/status"] = "ReservationStatus",
        ["Reset.req/type"] = "ResetType",
        ["SendLocalList.req/localAuthorizationList"] = "AuthorizationData",
        ["SendLocalList.req/updateType"] = "UpdateType",
        ["SendLocalList.conf/status"] = "UpdateStatus",
        ["SetChargingProfile.conf/status"] = "ChargingProfileStatus",
        ["StatusNotification.req/errorCode"] = "ChargePointErrorCode",
        ["StatusNotification.req/status"] = "ChargePointStatus",
        ["StopTransaction.req/reason"] = "Reason",
        ["TriggerMessage.req/requestedMessage"] = "MessageTrigger",
        ["TriggerMessage.conf/status"] = "TriggerMessageStatus",
        ["UnlockConnector.conf/status"] = "UnlockStatus",
    };
}

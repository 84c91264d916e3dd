namespace Ocpp.Rpc.AspNetCore;

/// <summary>
/// Boot gating (OCPP-J 1.6 errata, OCPP 2.0.1/2.1 B02 and B03), set on <see cref="OcppServerOptions.BootGating"/>.
/// Until a station's BootNotification has been answered Accepted, its other CALLs are answered with SecurityError,
/// except those a Pending station may send (<see cref="PendingActions"/>). A station answered Rejected gets nothing
/// but its BootNotification answered, and calls to it throw <see cref="OcppStationRejectedException"/> unsent. The
/// status is read from the BootNotification's CALLRESULT as the handler answered it, and kept per identity in
/// <see cref="Store"/>, so a station that reconnects without booting again keeps it.
/// </summary>
public sealed record OcppBootGatingOptions
{
    private static readonly string[] Pending16 =
    [
        // What 1.6 TriggerMessage and the security whitepaper's ExtendedTriggerMessage can ask a Pending station for.
        "StatusNotification", "Heartbeat", "MeterValues", "DiagnosticsStatusNotification", "FirmwareStatusNotification",
        "LogStatusNotification", "SignedFirmwareStatusNotification", "SignCertificate", "SecurityEventNotification",
    ];

    private static readonly string[] Pending2x =
    [
        // 2.0.1/2.1 B02: messages triggered by TriggerMessage or sent during a firmware update, and the reports a
        // Pending station sends when the CSMS asks for them (GetBaseReport, GetReport, GetMonitoringReport, ...).
        "StatusNotification", "Heartbeat", "MeterValues", "TransactionEvent", "LogStatusNotification",
        "FirmwareStatusNotification", "PublishFirmwareStatusNotification", "SignCertificate", "SecurityEventNotification",
        "NotifyReport", "NotifyMonitoringReport", "NotifyCustomerInformation", "NotifyEvent",
    ];

    /// <summary>The defaults: the spec's Pending messages per version, statuses in memory (or in the cluster's store), Rejected stations ignored.</summary>
    public static OcppBootGatingOptions Default { get; } = new();

    /// <summary>
    /// The actions a station that is not (yet) Accepted may send, for every version; <see langword="null"/> (default)
    /// takes the spec's list of each version (<see cref="GetSpecPendingActions"/>). BootNotification is always allowed.
    /// </summary>
    public IReadOnlyList<string>? PendingActions { get; init; }

    /// <summary>
    /// Where the status of each identity is kept. <see langword="null"/> (default): the server's cluster when it is a
    /// store (the Redis cluster is, so a station reconnecting to another node is not gated again), else memory.
    /// </summary>
    public IOcppBootStatusStore? Store { get; init; }

    /// <summary>
    /// How CALLs other than BootNotification from a Rejected station are treated: <see langword="false"/> (default)
    /// leaves them unanswered, as the spec has a Rejected station get nothing; <see langword="true"/> answers SecurityError.
    /// </summary>
    public bool AnswerRejectedStations { get; init; }

    /// <summary>The spec's list of the actions a Pending station may send in a dialect (see <see cref="PendingActions"/>).</summary>
    /// <param name="dialect">The version's rules.</param>
    /// <returns>The action names.</returns>
    public static IReadOnlyList<string> GetSpecPendingActions(OcppDialect dialect) => dialect == OcppDialect.Ocpp16 ? Pending16 : Pending2x;
}

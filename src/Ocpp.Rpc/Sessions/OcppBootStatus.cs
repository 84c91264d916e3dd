namespace Ocpp.Rpc;

/// <summary>
/// The status a CSMS last answered a station's BootNotification with (1.6 <c>RegistrationStatus</c>, 2.x
/// <c>RegistrationStatusEnumType</c>), as the boot gate keeps it per identity.
/// </summary>
public enum OcppBootStatus
{
    /// <summary>The station may send every message.</summary>
    Accepted,

    /// <summary>The CSMS is not ready yet; the station may send only what a Pending station is allowed to (see <c>OcppBootGatingOptions.PendingActions</c> in Ocpp.Rpc.AspNetCore).</summary>
    Pending,

    /// <summary>The station is refused: only BootNotification is answered, and the CSMS sends it no calls.</summary>
    Rejected,
}

using Microsoft.AspNetCore.Http;

namespace Ocpp.Rpc.AspNetCore;

/// <summary>The verdict of <see cref="OcppServerOptions.Authenticate"/>.</summary>
public sealed class OcppAuthResult
{
    private static readonly OcppAuthResult AcceptedEmpty = new(true, StatusCodes.Status101SwitchingProtocols, null, null);

    private OcppAuthResult(bool accepted, int statusCode, IReadOnlyDictionary<string, object?>? items, string? protocol)
    {
        IsAccepted = accepted;
        StatusCode = statusCode;
        Items = items;
        Protocol = protocol;
    }

    /// <summary>Whether the station may connect.</summary>
    public bool IsAccepted { get; }

    /// <summary>The HTTP status of a rejection (e.g. 401, 403, 404).</summary>
    public int StatusCode { get; }

    /// <summary>Session data copied into <see cref="OcppConnection.Items"/> of the accepted connection.</summary>
    public IReadOnlyDictionary<string, object?>? Items { get; }

    /// <summary>A subprotocol chosen instead of the server's selection (must be one the station offered).</summary>
    public string? Protocol { get; }

    /// <summary>Accepts the station.</summary>
    /// <param name="items">Session data for <see cref="OcppConnection.Items"/>.</param>
    /// <param name="protocol">Overrides the selected subprotocol; it must be one the station offered.</param>
    public static OcppAuthResult Accept(IReadOnlyDictionary<string, object?>? items = null, string? protocol = null) =>
        items is null && protocol is null ? AcceptedEmpty : new(true, StatusCodes.Status101SwitchingProtocols, items, protocol);

    /// <summary>Rejects the station with an HTTP status; 401 adds <c>WWW-Authenticate: Basic</c>.</summary>
    /// <param name="statusCode">401 bad credentials, 403 not allowed, 404 unknown identity, ...</param>
    public static OcppAuthResult Reject(int statusCode = StatusCodes.Status401Unauthorized)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        return new(false, statusCode, null, null);
    }

    /// <summary>Rejects an unknown identity with 404, as OCPP-J recommends.</summary>
    public static OcppAuthResult UnknownIdentity() => Reject(StatusCodes.Status404NotFound);
}

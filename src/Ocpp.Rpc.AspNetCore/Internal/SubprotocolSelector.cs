namespace Ocpp.Rpc.AspNetCore.Internal;

/// <summary>OCPP-J subprotocol selection: the station's preference order wins.</summary>
internal static class SubprotocolSelector
{
    /// <summary>The first protocol the station offered that the server supports, or <see langword="null"/>.</summary>
    public static string? Select(IReadOnlyList<string> offered, IReadOnlyList<string> supported)
    {
        foreach (string candidate in offered)
        {
            foreach (string own in supported)
            {
                if (string.Equals(candidate, own, StringComparison.Ordinal))
                {
                    return own;
                }
            }
        }

        return null;
    }
}

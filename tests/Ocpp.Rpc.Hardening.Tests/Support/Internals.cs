using System.Reflection;

namespace Ocpp.Rpc.Hardening.Tests.Support;

/// <summary>
/// Reads the engine's private bookkeeping for leak checks. Reflection is deliberate: the tables are not public API,
/// and a renamed field fails loudly here rather than making the check vacuous.
/// </summary>
internal static class Internals
{
    /// <summary>Outbound calls waiting for an answer, and inbound calls being handled.</summary>
    public static (int Pending, int InboundInFlight) Tables(OcppConnection connection) =>
        (Count(connection, "_pending"), Count(connection, "_inboundInFlight"));

    private static int Count(OcppConnection connection, string field)
    {
        FieldInfo info = typeof(OcppConnection).GetField(field, BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException($"OcppConnection.{field} was renamed: update the leak check.");
        object? table = info.GetValue(connection);
        if (table is null)
        {
            return 0; // created on first use
        }

        PropertyInfo count = table.GetType().GetProperty("Count", BindingFlags.Instance | BindingFlags.Public)
            ?? throw new InvalidOperationException($"OcppConnection.{field} has no Count: update the leak check.");
        return (int)count.GetValue(table)!;
    }
}

using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Ocpp.Rpc.AspNetCore.Internal;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.AspNetCore;

// An accepted station's whole life: registration (replacing or refusing a duplicate), the connected event, reading,
// and removal when it closes.
public sealed partial class OcppServer
{
    private async Task RunConnectionAsync(HttpContext context, WebSocket socket, OcppHandshake handshake, OcppAuthResult verdict)
    {
        string identity = handshake.Identity;
        var connection = new OcppConnection(new WebSocketTransport(socket), Options.Connection, identity, _handlers);
        await using (connection.ConfigureAwait(false))
        {
            if (verdict.Items is { } items)
            {
                foreach (KeyValuePair<string, object?> item in items)
                {
                    connection.Items[item.Key] = item.Value;
                }
            }

            if (!TryRegister(identity, connection, out OcppConnection? replaced))
            {
                await connection.CloseAsync(new OcppCloseOptions { Code = OcppCloseCodes.PolicyViolation, Reason = "Identity already connected", AwaitPending = false }).ConfigureAwait(false);
                return;
            }

            if (replaced is not null)
            {
                ServerLog.DuplicateReplaced(_logger, identity);
                _ = replaced.CloseAsync(new OcppCloseOptions { Code = OcppCloseCodes.PolicyViolation, Reason = "Replaced by a new connection", AwaitPending = false });
            }

            ServerLog.StationConnected(_logger, identity, connection.Protocol, context.Connection.RemoteIpAddress?.ToString());
            Raise(StationConnected, new OcppStationConnectedEventArgs(connection, handshake));
            connection.Start();
            await AnnounceAsync(connection).ConfigureAwait(false);
            if (Volatile.Read(ref _stopping) == 1)
            {
                _ = connection.CloseAsync(new OcppCloseOptions { Code = OcppCloseCodes.GoingAway, Reason = "Server shutting down" });
            }

            OcppClosedEventArgs closed = await connection.Completion.ConfigureAwait(false);
            _connections.TryRemove(new KeyValuePair<string, OcppConnection>(identity, connection));
            await WithdrawAsync(connection).ConfigureAwait(false);
            ServerLog.StationDisconnected(_logger, identity, closed.Code, closed.Reason);
            Raise(StationDisconnected, new OcppStationDisconnectedEventArgs(connection, closed));
        }
    }

    private bool TryRegister(string identity, OcppConnection connection, out OcppConnection? replaced)
    {
        OcppConnection? previous = null;
        if (!Options.ReplaceDuplicateConnections)
        {
            replaced = null;
            return _connections.TryAdd(identity, connection);
        }

        _connections.AddOrUpdate(identity, connection, (_, old) =>
        {
            previous = old;
            return connection;
        });
        replaced = previous;
        return true;
    }

    // The cluster is told about every station; a cluster failure (e.g. Redis down) must not cost a local station its
    // connection: the cluster re-announces local stations when it recovers.
    private async Task AnnounceAsync(OcppConnection connection)
    {
        try
        {
            await Cluster.AddLocalAsync(connection).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Logged; the station keeps its local connection.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ServerLog.ClusterFailed(_logger, ex, connection.Identity, "register");
        }
    }

    private async Task WithdrawAsync(OcppConnection connection)
    {
        try
        {
            await Cluster.RemoveLocalAsync(connection).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Logged; presence expires by itself in a distributed cluster.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ServerLog.ClusterFailed(_logger, ex, connection.Identity, "unregister");
        }
    }
}

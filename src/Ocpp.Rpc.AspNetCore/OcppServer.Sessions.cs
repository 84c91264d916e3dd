using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Ocpp.Rpc.AspNetCore.Internal;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.AspNetCore;

// An accepted station's whole life: registration (replacing or refusing a duplicate), the connected event, reading,
// and removal when it closes.
public sealed partial class OcppServer
{
    // How long a failed link is kept open for the station to read the close frame and close its side.
    private static readonly TimeSpan FailedLinkLinger = UpgradedStream.Linger;

    // One request's whole life (counted in _sessions): the handshake, then the connection until it closes, then the
    // end of the link. This is the only async frame an idle station's request keeps, so it holds as little as it can
    // across the long await.
    private async Task RunSessionAsync(HttpContext context)
    {
        UpgradedStream? stream = null;
        bool closedCleanly = false;
        try
        {
            if (await HandshakeAsync(context).ConfigureAwait(false) is not { } accepted)
            {
                return;
            }

            WebSocket socket = accepted.Socket;
            stream = accepted.Stream;
            OcppConnection connection = CreateConnection(socket, accepted.Compressed, accepted.Handshake, accepted.Verdict);
            await using (connection.ConfigureAwait(false))
            {
                string identity = accepted.Handshake.Identity;
                if (!TryRegister(identity, connection, out OcppConnection? replaced))
                {
                    await connection.CloseAsync(new OcppCloseOptions { Code = OcppCloseCodes.PolicyViolation, Reason = "Identity already connected", AwaitPending = false }).ConfigureAwait(false);
                    closedCleanly = socket.State == WebSocketState.Closed;
                    return;
                }

                if (replaced is not null)
                {
                    ServerLog.DuplicateReplaced(_logger, identity);
                    _ = replaced.CloseAsync(new OcppCloseOptions { Code = OcppCloseCodes.PolicyViolation, Reason = "Replaced by a new connection", AwaitPending = false });
                }

                Connected(context, connection, accepted.Handshake);
                accepted = default; // The handshake (offered protocols, verdict) is not kept for the connection's life.
                connection.Start();
                await AnnounceAsync(connection).ConfigureAwait(false);
                if (Volatile.Read(ref _stopping) == 1)
                {
                    _ = connection.CloseAsync(new OcppCloseOptions { Code = OcppCloseCodes.GoingAway, Reason = "Server shutting down" });
                }

                OcppClosedEventArgs closed = await connection.Completion.ConfigureAwait(false);
                closedCleanly = socket.State == WebSocketState.Closed; // Both close frames went through.
                _connections.TryRemove(new KeyValuePair<string, OcppConnection>(identity, connection));
                await WithdrawAsync(connection).ConfigureAwait(false);
                ServerLog.StationDisconnected(_logger, identity, closed.Code, closed.Reason);
                Raise(StationDisconnected, new OcppStationDisconnectedEventArgs(connection, closed));
            }
        }
        finally
        {
            try
            {
                // After a failure the station still gets a close frame, and its remaining input is drained before TCP closes.
                if (stream is not null)
                {
                    await stream.FinishAsync(closedCleanly, OcppCloseCodes.ProtocolError, FailedLinkLinger).ConfigureAwait(false);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _sessions);
            }
        }
    }

    private OcppConnection CreateConnection(WebSocket socket, bool compressed, OcppHandshake handshake, OcppAuthResult verdict)
    {
        WebSocketTransportOptions transport = compressed && Options.MaxInflatedBytesPerSecond > 0 ? _compressedTransport : _plainTransport;
        var connection = new OcppConnection(new WebSocketTransport(socket, transport), _connectionOptions, handshake.Identity, _handlers);
        if (verdict.Items is { } items)
        {
            foreach (KeyValuePair<string, object?> item in items)
            {
                connection.Items[item.Key] = item.Value;
            }
        }

        return connection;
    }

    private void Connected(HttpContext context, OcppConnection connection, OcppHandshake handshake)
    {
        if (_logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Information))
        {
            // Only when logged: IPAddress caches the string it makes, which an idle connection would keep.
            ServerLog.StationConnected(_logger, handshake.Identity, connection.Protocol, context.Connection.RemoteIpAddress?.ToString());
        }

        Raise(StationConnected, new OcppStationConnectedEventArgs(connection, handshake));
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

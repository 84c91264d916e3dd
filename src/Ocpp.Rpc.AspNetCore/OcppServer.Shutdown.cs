using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.AspNetCore;

// Graceful shutdown: refuse new stations, close every connection with 1001, then stop the standalone host.
public sealed partial class OcppServer
{
    /// <summary>
    /// Stops accepting stations (new handshakes get 503) and closes every connection with 1001 (going away), waiting
    /// up to <see cref="OcppServerOptions.ShutdownTimeout"/> for in-flight calls; then stops the standalone host.
    /// </summary>
    /// <param name="cancellationToken">When cancelled, connections still open are dropped at once (forced).</param>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        Volatile.Write(ref _stopping, 1);
        using var graceful = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        graceful.CancelAfter(Options.ShutdownTimeout);
        var close = new OcppCloseOptions { Code = OcppCloseCodes.GoingAway, Reason = "Server shutting down" };
        Task[] closing = [.. Cluster.LocalConnections.Select(c => c.CloseAsync(close, graceful.Token))];
        using (cancellationToken.Register(ForceCloseAll))
        {
            await Task.WhenAll(closing).ConfigureAwait(false);
        }

        if (_app is { } app)
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Stops gracefully (see <see cref="StopAsync"/>) and releases the standalone host.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_app is { } app)
        {
            _app = null;
            await app.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsCluster)
        {
            await Cluster.DisposeAsync().ConfigureAwait(false);
        }

        _incompleteMessages.Dispose();
        if (_handshakeLimiter is not null)
        {
            await _handshakeLimiter.DisposeAsync().ConfigureAwait(false);
        }

        if (_messageLog is not null)
        {
            await _messageLog.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void ForceCloseAll()
    {
        var force = new OcppCloseOptions { Code = OcppCloseCodes.GoingAway, Reason = "Server shutting down", Force = true };
        foreach (OcppConnection connection in Cluster.LocalConnections)
        {
            _ = connection.CloseAsync(force);
        }
    }
}

namespace Ocpp.Rpc;

/// <summary>
/// Where the boot gate keeps the last BootNotification status of every identity. Stations do not send
/// BootNotification again on a mere reconnect, so the status must outlive the connection: in memory
/// (<see cref="InMemoryOcppBootStatusStore"/>) for one node, in Redis (the <c>Ocpp.Rpc.Redis</c> cluster implements
/// this interface) when several nodes share the stations.
/// </summary>
public interface IOcppBootStatusStore
{
    /// <summary>The last status stored for a station.</summary>
    /// <param name="identity">The station identity.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The status, or <see langword="null"/> when the station never booted (as far as the store knows).</returns>
    ValueTask<OcppBootStatus?> GetAsync(string identity, CancellationToken cancellationToken = default);

    /// <summary>Stores a station's status (after its BootNotification was answered, or when the application changes it).</summary>
    /// <param name="identity">The station identity.</param>
    /// <param name="status">The status.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask SetAsync(string identity, OcppBootStatus status, CancellationToken cancellationToken = default);
}

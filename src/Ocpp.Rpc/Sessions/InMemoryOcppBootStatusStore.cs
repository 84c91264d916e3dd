using System.Collections.Concurrent;

namespace Ocpp.Rpc;

/// <summary>The boot statuses of one node's stations in memory (the default store of the boot gate); lost when the process ends.</summary>
public sealed class InMemoryOcppBootStatusStore : IOcppBootStatusStore
{
    private readonly ConcurrentDictionary<string, OcppBootStatus> _statuses = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public ValueTask<OcppBootStatus?> GetAsync(string identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return ValueTask.FromResult<OcppBootStatus?>(_statuses.TryGetValue(identity, out OcppBootStatus status) ? status : null);
    }

    /// <inheritdoc/>
    public ValueTask SetAsync(string identity, OcppBootStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        _statuses[identity] = status;
        return ValueTask.CompletedTask;
    }
}

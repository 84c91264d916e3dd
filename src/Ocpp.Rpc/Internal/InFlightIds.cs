namespace Ocpp.Rpc.Internal;

/// <summary>
/// The message ids of the inbound CALLs a connection is still handling (a repeated id is refused). Added by the
/// receive loop, removed by whichever thread finishes the handler: one uncontended lock around a small set costs less
/// per call than a concurrent map, and adds no node per id.
/// </summary>
internal sealed class InFlightIds
{
    private readonly HashSet<string> _ids = new(3, StringComparer.Ordinal);

    /// <summary>How many ids are in flight now.</summary>
    public int Count
    {
        get
        {
            lock (_ids)
            {
                return _ids.Count;
            }
        }
    }

    /// <summary>Adds <paramref name="id"/>; false when it is already in flight.</summary>
    public bool TryAdd(string id)
    {
        lock (_ids)
        {
            return _ids.Add(id);
        }
    }

    /// <summary>Removes <paramref name="id"/> (nothing happens when it is not there).</summary>
    public void Remove(string id)
    {
        lock (_ids)
        {
            _ids.Remove(id);
        }
    }
}

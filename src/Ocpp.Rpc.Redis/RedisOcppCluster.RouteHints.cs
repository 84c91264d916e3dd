using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Ocpp.Rpc.Redis;

// Route hints: the node a station answered from after a lookup, so the routed calls to it in the next second skip the
// presence lookup (a GET, one of the three Redis round trips of a routed call). A hint is only a guess, and a wrong
// guess costs one round trip, never a wrong answer: the hinted node answers Absent when the station is not there (the
// call then looks presence up), a publish nobody hears drops the hint, and a hint is used only while that node's
// heartbeat is known to be alive. The one-second life bounds the case no answer reveals: a station that moved while
// the eviction message to its old node was lost (that node closes the old socket at its next presence refresh).
public sealed partial class RedisOcppCluster
{
    // Bounds the table at operator scale (a hint is about 100 bytes); beyond it, calls to more stations look presence up.
    private const int RouteHintCapacity = 100_000;

    private static readonly long RouteHintLifetime = Stopwatch.Frequency;

    private readonly ConcurrentDictionary<string, RouteHint> _routeHints = new(StringComparer.Ordinal);

    /// <summary>How many route hints this node holds (for tests).</summary>
    internal int RouteHintCount => _routeHints.Count;

    /// <summary>The node <paramref name="identity"/> answered from last, if that node's heartbeat is still known alive.</summary>
    private bool TryGetRouteHint(string identity, [NotNullWhen(true)] out string? node)
    {
        long now = Stopwatch.GetTimestamp();
        if (_routeHints.TryGetValue(identity, out RouteHint? hint)
            && hint.Until > now
            && _nodeAliveUntil.TryGetValue(hint.Node, out long alive)
            && alive > now)
        {
            node = hint.Node;
            return true;
        }

        node = null;
        return false;
    }

    private void RememberRoute(string identity, string node)
    {
        if (_routeHints.Count < RouteHintCapacity || _routeHints.ContainsKey(identity))
        {
            _routeHints[identity] = new RouteHint(node, Stopwatch.GetTimestamp() + RouteHintLifetime);
        }
    }

    private void ForgetRoute(string identity, string node)
    {
        if (_routeHints.TryGetValue(identity, out RouteHint? hint) && hint.Node == node)
        {
            _routeHints.TryRemove(new KeyValuePair<string, RouteHint>(identity, hint));
        }
    }

    /// <summary>Drops expired hints and those to nodes whose heartbeat this node no longer knows alive (once per tick).</summary>
    private void ForgetStaleRoutes()
    {
        if (_routeHints.IsEmpty)
        {
            return;
        }

        long now = Stopwatch.GetTimestamp();
        foreach (KeyValuePair<string, RouteHint> hint in _routeHints)
        {
            if (hint.Value.Until <= now || !_nodeAliveUntil.TryGetValue(hint.Value.Node, out long alive) || alive <= now)
            {
                _routeHints.TryRemove(hint);
            }
        }
    }

    /// <summary>Where a station answered from, and until when (a <see cref="Stopwatch"/> timestamp) that may be used.</summary>
    private sealed record RouteHint(string Node, long Until);
}

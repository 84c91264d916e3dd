using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Ocpp.Rpc.Redis;

// Route hints: the node a station answered from last, so the next routed call to it skips the presence lookup (a GET,
// one of the three Redis round trips of a routed call). A hint is only a guess, and a wrong guess costs one round trip,
// never a wrong answer: the hinted node answers Absent when the station is not there (the call then looks presence up),
// a publish nobody hears drops the hint, and a hint is used only while that node's heartbeat is known to be alive (the
// same bound the lookup itself relies on between heartbeat checks).
public sealed partial class RedisOcppCluster
{
    // Bounds the table at operator scale (a hint is about 100 bytes); beyond it, calls to more stations look presence up.
    private const int RouteHintCapacity = 100_000;

    private readonly ConcurrentDictionary<string, string> _routeHints = new(StringComparer.Ordinal);

    /// <summary>How many route hints this node holds (for tests).</summary>
    internal int RouteHintCount => _routeHints.Count;

    /// <summary>The node <paramref name="identity"/> answered from last, if that node's heartbeat is still known alive.</summary>
    private bool TryGetRouteHint(string identity, [NotNullWhen(true)] out string? node)
    {
        if (_routeHints.TryGetValue(identity, out string? hinted)
            && _nodeAliveUntil.TryGetValue(hinted, out long until)
            && until > Stopwatch.GetTimestamp())
        {
            node = hinted;
            return true;
        }

        node = null;
        return false;
    }

    private void RememberRoute(string identity, string node)
    {
        if (_routeHints.Count < RouteHintCapacity || _routeHints.ContainsKey(identity))
        {
            _routeHints[identity] = node;
        }
    }

    private void ForgetRoute(string identity, string node) =>
        _routeHints.TryRemove(new KeyValuePair<string, string>(identity, node));

    /// <summary>Drops the hints to nodes whose heartbeat this node no longer knows alive (once per tick).</summary>
    private void ForgetStaleRoutes()
    {
        if (_routeHints.IsEmpty)
        {
            return;
        }

        long now = Stopwatch.GetTimestamp();
        foreach (KeyValuePair<string, string> hint in _routeHints)
        {
            if (!_nodeAliveUntil.TryGetValue(hint.Value, out long until) || until <= now)
            {
                _routeHints.TryRemove(hint);
            }
        }
    }
}

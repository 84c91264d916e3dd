namespace Ocpp.Rpc.Internal;

/// <summary>
/// One connection's count of bad input per minute, and its budget of log warnings about that peer. Created only for a
/// connection that misbehaves; every member is on the bad-input path, so a lock keeps it simple.
/// </summary>
internal sealed class PeerMisbehaviour
{
    private const long WindowMilliseconds = 60_000;

    private readonly object _gate = new();
    private long _badWindowStart = long.MinValue;
    private int _badInWindow;
    private long _logWindowStart = long.MinValue;
    private int _logsInWindow;

    /// <summary>Counts one bad message; returns how many arrived in the current one-minute window.</summary>
    public int CountBadMessage(long now)
    {
        lock (_gate)
        {
            if (now - _badWindowStart >= WindowMilliseconds)
            {
                (_badWindowStart, _badInWindow) = (now, 0);
            }

            return ++_badInWindow;
        }
    }

    /// <summary>
    /// Whether one more warning about this peer may be logged in the current minute. When a new minute begins,
    /// <paramref name="suppressed"/> says how many the last one held back, to be reported once.
    /// </summary>
    public bool TryLog(long now, int limit, out int suppressed)
    {
        lock (_gate)
        {
            suppressed = 0;
            if (now - _logWindowStart >= WindowMilliseconds)
            {
                suppressed = Math.Max(0, _logsInWindow - limit);
                (_logWindowStart, _logsInWindow) = (now, 0);
            }

            return ++_logsInWindow <= limit;
        }
    }

    /// <summary>How many warnings the current minute held back (reported when the connection closes).</summary>
    public int Suppressed(int limit)
    {
        lock (_gate)
        {
            return Math.Max(0, _logsInWindow - limit);
        }
    }
}

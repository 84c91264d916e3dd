namespace Ocpp.Rpc.Transport;

/// <summary>
/// Bounds what partly received messages may hold, for every <see cref="WebSocketTransport"/> that shares it (an
/// <c>OcppServer</c> has one). A message must complete within <see cref="Timeout"/> of its first fragment, and the
/// bytes held by incomplete messages across all those connections stay within <see cref="Budget"/>: beyond it the
/// connection holding the most is closed with 1009, and one out of time with 1008. Without it, one compressed
/// fragment that inflates to just under the message size limit, never followed by the rest, pins that much memory for
/// as long as the station answers pings.
/// </summary>
/// <remarks>
/// Only messages that had to wait for the network mid-message, or grew past 64 KiB, are watched: a message whose
/// fragments have all arrived is read without touching the guard, so it costs nothing on the per-message path. A
/// connection the guard closes stops reading within one chunk (4 KiB) and its bytes leave the budget at once; it gets
/// the close frame, then its link is dropped when it answers or after two seconds.
/// </remarks>
public sealed class IncompleteMessageGuard : IDisposable
{
    private readonly object _gate = new();
    private readonly HashSet<Entry> _entries = [];
    private readonly ITimer _sweeper;
    private readonly long _timeoutTicks;
    private long _buffered; // Guarded by _gate, like the entries' bytes.

    /// <summary>Creates a guard and starts its sweep (a few times per <paramref name="timeout"/>, at most once a second).</summary>
    /// <param name="timeout">How long a message may take from its first fragment to its last.</param>
    /// <param name="budget">The most bytes all incomplete messages together may hold.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public IncompleteMessageGuard(TimeSpan timeout, long budget, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, 1);
        Timeout = timeout;
        Budget = budget;
        TimeProvider = timeProvider ?? TimeProvider.System;
        _timeoutTicks = (long)(timeout.TotalSeconds * TimeProvider.TimestampFrequency);
        TimeSpan period = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 50, TimeSpan.TicksPerSecond));
        _sweeper = TimeProvider.CreateTimer(static state => ((IncompleteMessageGuard)state!).Sweep(), this, period, period);
    }

    /// <summary>How long a message may take from its first fragment to its last.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The most bytes all incomplete messages together may hold.</summary>
    public long Budget { get; }

    /// <summary>The clock of the guard (and of the transports that register with it).</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The bytes incomplete messages hold now (not counting those of connections the guard is closing).</summary>
    public long BufferedBytes
    {
        get
        {
            lock (_gate)
            {
                return _buffered;
            }
        }
    }

    /// <summary>How many messages are incomplete now (those the guard watches and is not closing).</summary>
    public int IncompleteMessages
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Stops the sweep. Messages in progress are no longer timed.</summary>
    public void Dispose() => _sweeper.Dispose();

    // A message that had to wait for the network mid-message, or grew large: watched from its first fragment's time on.
    internal Entry Register(WebSocketTransport owner, long firstFragmentTimestamp, long bytes)
    {
        var entry = new Entry(owner, firstFragmentTimestamp);
        lock (_gate)
        {
            _entries.Add(entry);
        }

        Add(entry, bytes);
        return entry;
    }

    // More bytes of a watched message. Beyond the budget the largest holders are closed (maybe this one): their bytes
    // leave the budget at once, since their connections stop reading and drop their buffers within one read.
    internal void Add(Entry entry, long bytes)
    {
        Entry? victim;
        List<Entry>? more = null;
        lock (_gate)
        {
            if (bytes == 0 || !_entries.Contains(entry))
            {
                return; // Nothing new, or being closed.
            }

            entry.Bytes += bytes;
            _buffered += bytes;
            victim = _buffered > Budget ? TakeLargest() : null;
            while (victim is not null && _buffered > Budget && TakeLargest() is { } next)
            {
                (more ??= []).Add(next);
            }
        }

        const string reason = "Too much buffered for incomplete messages";
        victim?.Owner.CloseForGuard(OcppCloseCodes.MessageTooBig, reason);
        if (more is not null)
        {
            foreach (Entry other in more)
            {
                other.Owner.CloseForGuard(OcppCloseCodes.MessageTooBig, reason);
            }
        }
    }

    internal void Unregister(Entry entry)
    {
        lock (_gate)
        {
            if (_entries.Remove(entry))
            {
                _buffered -= entry.Bytes;
            }
        }
    }

    // Under the lock: the entry holding the most leaves the watch (and the budget).
    private Entry? TakeLargest()
    {
        Entry? largest = null;
        foreach (Entry entry in _entries)
        {
            if (largest is null || entry.Bytes > largest.Bytes)
            {
                largest = entry;
            }
        }

        if (largest is not null)
        {
            _entries.Remove(largest);
            _buffered -= largest.Bytes;
        }

        return largest;
    }

    private void Sweep()
    {
        long now = TimeProvider.GetTimestamp();
        List<Entry>? late = null;
        lock (_gate)
        {
            foreach (Entry entry in _entries)
            {
                if (now - entry.Started > _timeoutTicks)
                {
                    (late ??= []).Add(entry);
                }
            }

            if (late is null)
            {
                return;
            }

            foreach (Entry entry in late)
            {
                _entries.Remove(entry);
                _buffered -= entry.Bytes;
            }
        }

        string reason = $"Message not completed within {Timeout.TotalSeconds:0.#} s";
        foreach (Entry entry in late)
        {
            entry.Owner.CloseForGuard(OcppCloseCodes.PolicyViolation, reason);
        }
    }

    /// <summary>One incomplete message (its fields are guarded by the guard's lock).</summary>
    internal sealed class Entry(WebSocketTransport owner, long started)
    {
        public long Bytes;

        public WebSocketTransport Owner { get; } = owner;

        public long Started { get; } = started;
    }
}

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
/// Only messages that had to wait for the network mid-message are watched: a message whose fragments have all
/// arrived is read without touching the guard, so it costs nothing on the per-message path.
/// </remarks>
public sealed class IncompleteMessageGuard : IDisposable
{
    private readonly object _gate = new();
    private readonly HashSet<Entry> _entries = [];
    private readonly ITimer _sweeper;
    private readonly long _timeoutTicks;
    private long _buffered;

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

    /// <summary>The bytes incomplete messages hold now.</summary>
    public long BufferedBytes => Interlocked.Read(ref _buffered);

    /// <summary>How many messages are incomplete now (those the guard watches).</summary>
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

    // A message that had to wait for the network mid-message: watched from its first fragment's time on.
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

    internal void Add(Entry entry, long bytes)
    {
        if (bytes == 0)
        {
            return;
        }

        Interlocked.Add(ref entry.Bytes, bytes);
        if (Interlocked.Add(ref _buffered, bytes) > Budget)
        {
            CloseLargest();
        }
    }

    internal void Unregister(Entry entry)
    {
        lock (_gate)
        {
            if (!_entries.Remove(entry))
            {
                return;
            }
        }

        Interlocked.Add(ref _buffered, -Interlocked.Read(ref entry.Bytes));
    }

    private void CloseLargest()
    {
        Entry? largest = null;
        lock (_gate)
        {
            foreach (Entry entry in _entries)
            {
                if (!entry.Closing && (largest is null || Interlocked.Read(ref entry.Bytes) > Interlocked.Read(ref largest.Bytes)))
                {
                    largest = entry;
                }
            }
        }

        largest?.Close(OcppCloseCodes.MessageTooBig, "Too much buffered for incomplete messages");
    }

    private void Sweep()
    {
        long now = TimeProvider.GetTimestamp();
        List<Entry>? late = null;
        lock (_gate)
        {
            foreach (Entry entry in _entries)
            {
                if (!entry.Closing && now - entry.Started > _timeoutTicks)
                {
                    (late ??= []).Add(entry);
                }
            }
        }

        if (late is null)
        {
            return;
        }

        string reason = $"Message not completed within {Timeout.TotalSeconds:0.#} s";
        foreach (Entry entry in late)
        {
            entry.Close(OcppCloseCodes.PolicyViolation, reason);
        }
    }

    /// <summary>One incomplete message.</summary>
    internal sealed class Entry(WebSocketTransport owner, long started)
    {
        public long Bytes;
        private int _closing;

        public long Started { get; } = started;

        public bool Closing => Volatile.Read(ref _closing) == 1;

        public void Close(int code, string reason)
        {
            if (Interlocked.Exchange(ref _closing, 1) == 0)
            {
                owner.CloseForGuard(code, reason);
            }
        }
    }
}

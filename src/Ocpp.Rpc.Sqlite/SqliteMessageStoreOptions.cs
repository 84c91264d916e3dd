namespace Ocpp.Rpc.Sqlite;

/// <summary>How a <see cref="SqliteOcppMessageStore"/> uses its file. Immutable: derive variants with <c>with</c>.</summary>
public sealed record SqliteMessageStoreOptions
{
    /// <summary>The defaults: WAL with <c>synchronous=NORMAL</c>, 1 s busy timeout, 10,000 results kept, integrity check at open.</summary>
    public static SqliteMessageStoreOptions Default { get; } = new();

    /// <summary>
    /// Whether every commit is flushed to the disk (<c>PRAGMA synchronous=FULL</c>): survives a power cut without losing
    /// the last commits, at the cost of one fsync per enqueue and per answer. The default (<c>NORMAL</c>, in WAL mode)
    /// survives a crash or <c>kill -9</c> of the process with nothing lost; a power cut may roll back the last commits
    /// but never corrupts the file. Default false.
    /// </summary>
    public bool FlushEveryCommit { get; init; }

    /// <summary>How long opening waits for a file another process holds before failing with <see cref="Client.OcppMessageStoreFailure.Locked"/>. Default 1 s.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many of the latest results stay readable by id (older ones are deleted as new answers arrive). Default 10,000.</summary>
    public int RetainedResults { get; init; } = 10_000;

    /// <summary>Whether opening runs <c>PRAGMA quick_check</c> (reads the whole file once) so damage is reported at start, not on first use. Default true.</summary>
    public bool CheckIntegrityOnOpen { get; init; } = true;
}

namespace Ocpp.Rpc.Samples.AspNetCsms;

/// <summary>
/// A unit of work per OCPP call, the way an EF Core DbContext is used: scoped (one per call, from the call's DI scope),
/// changes are staged and saved when the handler commits, and the session is disposed when the call has been answered.
/// </summary>
internal sealed class StationSession(StationDirectory directory) : IDisposable
{
    private static int s_opened;
    private static int s_disposed;
    private readonly List<StationRecord> _staged = [];

    public static int Opened => Volatile.Read(ref s_opened);

    public static int Disposed => Volatile.Read(ref s_disposed);

    public int Number { get; } = Interlocked.Increment(ref s_opened);

    public StationRecord? Find(string identity) => directory.Find(identity);

    public void Stage(StationRecord record) => _staged.Add(record);

    public void Commit()
    {
        foreach (StationRecord record in _staged)
        {
            directory.Save(record);
        }

        _staged.Clear();
    }

    public void Dispose()
    {
        _staged.Clear(); // Uncommitted changes are dropped, as a disposed DbContext drops them.
        Interlocked.Increment(ref s_disposed);
    }
}

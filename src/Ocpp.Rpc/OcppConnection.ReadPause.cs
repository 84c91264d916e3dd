namespace Ocpp.Rpc;

// Read pauses: a call filter (a rate limit, a quota) that cannot admit a call yet stops the receive loop at once, so
// the peer's next messages stay in TCP instead of piling up as waiting handlers.
public sealed partial class OcppConnection
{
    private Task? _readPause;

    /// <summary>
    /// Stops reading this connection's messages until <paramref name="until"/> completes (successfully or not), then
    /// reading goes on. The peer's further messages wait in the socket and TCP slows the peer down; other connections
    /// are not affected. Called from a call filter before its first <c>await</c> (as the server's call-rate limit does),
    /// the pause starts before the next message is read; called at any other time, after the message being read now.
    /// A later pause replaces an earlier one that is still running (the loop waits for the one that is current
    /// when the earlier one ends). The connection closing ends the wait.
    /// </summary>
    /// <param name="until">The task whose completion resumes reading.</param>
    public void PauseReading(Task until)
    {
        ArgumentNullException.ThrowIfNull(until);
        Volatile.Write(ref _readPause, until);
    }

    // One field read per message when nothing is paused.
    private async ValueTask WaitWhileReadingPausedAsync()
    {
        while (Volatile.Read(ref _readPause) is { } pause)
        {
            if (!pause.IsCompleted)
            {
                await pause.WaitAsync(_lifetime.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (_lifetime.IsCancellationRequested)
                {
                    return; // Closing: the read that follows ends with the transport.
                }
            }

            // Cleared only if no newer pause came in meanwhile; a newer one is waited for on the next turn.
            _ = Interlocked.CompareExchange(ref _readPause, null, pause);
        }
    }
}

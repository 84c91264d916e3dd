using Ocpp.Rpc.Internal;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc;

// Closing: graceful (optionally awaiting in-flight calls), immediate, or forced; and the peer's close.
public sealed partial class OcppConnection
{
    /// <summary>
    /// Closes the connection. By default waits for in-flight calls (see <see cref="OcppCloseOptions.AwaitPending"/>),
    /// then performs the close handshake, bounded by <see cref="OcppConnectionOptions.CloseTimeout"/>. Calling it
    /// again, or after the peer closed, just waits for the close to finish.
    /// </summary>
    /// <param name="options">Code, reason and semantics.</param>
    /// <param name="cancellationToken">Stops waiting for pending calls; the close then proceeds at once.</param>
    /// <returns>How the connection closed.</returns>
    public async Task<OcppClosedEventArgs> CloseAsync(OcppCloseOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= OcppCloseOptions.Default;
        if (Interlocked.CompareExchange(ref _state, StateClosing, StateOpen) != StateOpen)
        {
            if (options.Force)
            {
                _transport.Abort();
            }

            return await Completion.ConfigureAwait(false);
        }

        // Kept so DisposeAsync waits for it: a forced close or the peer can finish the connection while this closer is
        // still between its steps, and the token sources must outlive it.
        Task<OcppClosedEventArgs> closing = CloseAsOwnerAsync(options, cancellationToken);
        _closer = closing;
        return await closing.ConfigureAwait(false);
    }

    private async Task<OcppClosedEventArgs> CloseAsOwnerAsync(OcppCloseOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await CloseStepsAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException) when (Completion.IsCompleted)
        {
            // The peer finished the connection and its owner disposed it between this closer taking over and running
            // (before _closer was published for DisposeAsync to wait on): the close is already done.
            return await Completion.ConfigureAwait(false);
        }
    }

    private async Task<OcppClosedEventArgs> CloseStepsAsync(OcppCloseOptions options, CancellationToken cancellationToken)
    {
        _stopCalls.Cancel();
        if (options.Force)
        {
            _transport.Abort();
            Finish(options.Code, options.Reason, closedByPeer: false);
            return await Completion.ConfigureAwait(false);
        }

        if (options.AwaitPending && Volatile.Read(ref _activeOperations) > 0)
        {
            try
            {
                await Drained.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stop waiting; close now.
            }
        }

        FailPending("The connection is closing.", options.Code, options.Reason);
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await SendCloseAsync(options.Code, options.Reason).ConfigureAwait(false);

        // The receive loop ends when the peer's close frame arrives; drop the link if it does not come in time.
        Task? loop = _receiveLoop;
        if (loop is not null && !await WaitQuietlyAsync(loop, Options.CloseTimeout).ConfigureAwait(false))
        {
            _transport.Abort();
        }

        Finish(options.Code, options.Reason, closedByPeer: false);
        return await Completion.ConfigureAwait(false);
    }

    private async ValueTask OnPeerCloseAsync(int? code, string? reason)
    {
        if (Interlocked.CompareExchange(ref _state, StateClosing, StateOpen) == StateOpen)
        {
            // The peer started the close: answer it (RFC 6455 §5.5.1) with the same code.
            _stopCalls.Cancel();
            await SendCloseAsync(code ?? OcppCloseCodes.Normal, reason).ConfigureAwait(false);
            Finish(code ?? OcppCloseCodes.NoStatus, reason, closedByPeer: true);
        }
    }

    // Sends our close frame after any frame being written, bounded by CloseTimeout.
    private async Task SendCloseAsync(int code, string? reason)
    {
        using var timeout = new CancellationTokenSource(Options.CloseTimeout);
        bool locked = false;
        try
        {
            await SendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
            locked = true;
            await _transport.CloseAsync(code, reason, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or System.Net.WebSockets.WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            _transport.Abort();
        }
        finally
        {
            if (locked)
            {
                SendLock.Release();
            }
        }
    }

    // A message over the limit: answer 1009, then keep reading (and discarding, within a budget and CloseTimeout)
    // until the peer's close. Dropping the link at once would make TCP reset it and lose the close frame.
    private async Task CloseAfterOversizedMessageAsync()
    {
        const long DrainBudget = 16L * 1024 * 1024;
        if (Interlocked.CompareExchange(ref _state, StateClosing, StateOpen) == StateOpen)
        {
            _stopCalls.Cancel();
            FailPending("The connection is closing: the peer sent a message that is too big.", OcppCloseCodes.MessageTooBig, null);
            await _lifetime.CancelAsync().ConfigureAwait(false);
            await SendCloseAsync(OcppCloseCodes.MessageTooBig, "Message too big").ConfigureAwait(false);
        }

        bool peerClosed = false;
        try
        {
            using var timeout = new CancellationTokenSource(Options.CloseTimeout);
            var discard = new DiscardingBufferWriter(DrainBudget);
            while (!peerClosed)
            {
                peerClosed = (await _transport.ReceiveAsync(discard, timeout.Token).ConfigureAwait(false)).Kind == TransportMessageKind.Close;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or System.Net.WebSockets.WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Out of time or budget, or the link failed: drop it below.
        }

        if (!peerClosed)
        {
            _transport.Abort();
        }

        Finish(OcppCloseCodes.MessageTooBig, "Message too big", closedByPeer: false);
    }

    // Drops the link at once because of the peer (it stopped reading, or holds too much of our memory): no close
    // frame could get through. The receive loop ends and reports the connection closed with 1006 and this reason.
    private void AbortLink(string reason)
    {
        Interlocked.CompareExchange(ref _abortReason, reason, null);
        _transport.Abort();
    }

    // Moves to Closed once: fails what is pending, cancels handlers, raises Closed.
    private void Finish(int code, string? reason, bool closedByPeer)
    {
        if (Interlocked.Exchange(ref _state, StateClosed) == StateClosed)
        {
            return;
        }

        // Logged before Completion is set: whoever awaits it (a server's session) sees the logs complete.
        ReportSuppressedWarnings();
        Log.Closed(_logger, Identity, code, reason, closedByPeer);
        var closed = new OcppClosedEventArgs(code, reason, closedByPeer);
        _closed.TrySetResult(closed);
        if (Volatile.Read(ref _started) == 1)
        {
            Telemetry.ActiveConnections.Add(-1);
        }

        try
        {
            _stopCalls.Cancel();
            _lifetime.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed concurrently: nothing left to cancel.
        }

        FailPending(closedByPeer ? "The connection was closed by the peer." : "The connection was closed.", code, reason);
        Drained.TrySetResult();
        Raise(Closed, closed, nameof(Closed));
    }

    private void FailPending(string message, int code, string? reason)
    {
        if (Volatile.Read(ref _pending) is not { } calls)
        {
            return;
        }

        foreach (KeyValuePair<string, PendingCall> entry in calls)
        {
            if (calls.TryRemove(entry))
            {
                entry.Value.SetError(new OcppConnectionClosedException(message, code, reason));
            }
        }
    }

    private static async Task<bool> WaitQuietlyAsync(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}

namespace Ocpp.Rpc.Client;

// A call made while the client was not connected. It waits in the client's queue and is started, in queue order,
// on the next connection; its caller awaits Task.
internal abstract class QueuedCall
{
    public LinkedListNode<QueuedCall>? Node { get; set; }

    public abstract bool IsCompleted { get; }

    /// <summary>Starts the call on the connection (synchronously up to its first wait, so queue order is kept).</summary>
    public abstract void Start(OcppConnection connection);

    public abstract void Fail(Exception exception);
}

internal sealed class QueuedCall<T> : QueuedCall, IDisposable
{
    private readonly Func<OcppConnection, Task<T>> _start;
    // Synchronous continuations, like PendingCall: a queued call completes from the connection's completion of the
    // call it started (on the receive loop), so its caller resumes before the next inbound CALL is dispatched too.
    private readonly TaskCompletionSource<T> _result = new();
    private CancellationTokenRegistration _cancellation;

    public QueuedCall(Func<OcppConnection, Task<T>> start)
    {
        _start = start;
    }

    public Task<T> Task => _result.Task;

    public override bool IsCompleted => _result.Task.IsCompleted;

    /// <summary>Cancels the waiting call (and lets the owner unlink it) when the token fires before it starts.</summary>
    public void CancelWith(CancellationToken cancellationToken, Action<QueuedCall> unlink)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.Register(() =>
            {
                unlink(this);
                _result.TrySetCanceled(cancellationToken);
            });
        }
    }

    public override void Start(OcppConnection connection)
    {
        _cancellation.Dispose();
        if (_result.Task.IsCompleted)
        {
            return;
        }

        Task<T> call;
        try
        {
            call = _start(connection);
        }
#pragma warning disable CA1031 // Whatever the call throws belongs to its caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _result.TrySetException(ex);
            return;
        }

        _ = call.ContinueWith(
            static (completed, state) =>
            {
                var result = (TaskCompletionSource<T>)state!;
                if (completed.IsCanceled)
                {
                    result.TrySetCanceled();
                }
                else if (completed.Exception is { } error)
                {
                    result.TrySetException(error.InnerExceptions);
                }
                else
                {
                    result.TrySetResult(completed.Result);
                }
            },
            _result,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public override void Fail(Exception exception)
    {
        _cancellation.Dispose();
        _result.TrySetException(exception);
    }

    public void Dispose() => _cancellation.Dispose();
}

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ocpp.Rpc.Internal;

/// <summary>
/// An outbound CALL awaiting its CALLRESULT or CALLERROR. Its task completes with synchronous continuations: the
/// receive loop completes it, so the caller's code after <c>await CallAsync</c> (up to its next await) runs before the
/// loop reads the next message, and therefore before the handler of a CALL that arrived after the CALLRESULT starts.
/// Nothing is queued to the thread pool, so completing a call allocates nothing beyond the result itself.
/// </summary>
internal abstract class PendingCall
{
    protected PendingCall(string action, bool skipValidation)
    {
        Action = action;
        SkipValidation = skipValidation;
    }

    public string Action { get; }

    public bool SkipValidation { get; }

    /// <summary>The DataTransfer key whose response schema strict mode checks the data against, if any.</summary>
    public DataTransferKey? DataTransfer { get; init; }

    /// <summary>Completes with the CALLRESULT payload. Runs on the receive loop while the buffer is valid.</summary>
    /// <exception cref="JsonException">The payload does not fit the expected response type.</exception>
    public abstract void SetResult(ReadOnlySpan<byte> payload);

    public abstract void SetError(Exception exception);
}

/// <summary>A pending call whose response is deserialized to <typeparamref name="T"/>.</summary>
internal sealed class PendingCall<T> : PendingCall
{
    private readonly JsonTypeInfo<T> _typeInfo;
    // No RunContinuationsAsynchronously, on purpose: see PendingCall. A caller that captured a SynchronizationContext
    // (a UI thread, a test framework's context) is resumed on that context instead, without the ordering guarantee.
    private readonly TaskCompletionSource<T> _completion = new();

    public PendingCall(string action, bool skipValidation, JsonTypeInfo<T> typeInfo)
        : base(action, skipValidation)
    {
        _typeInfo = typeInfo;
    }

    public Task<T> Task => _completion.Task;

    public override void SetResult(ReadOnlySpan<byte> payload)
    {
        if (payload.SequenceEqual("null"u8))
        {
            payload = "{}"u8;
        }

        T value = JsonSerializer.Deserialize(payload, _typeInfo) ?? throw new JsonException("The response payload is null.");
        _completion.TrySetResult(value);
    }

    public override void SetError(Exception exception)
    {
        // Nobody may be left to await the task: a close can fail the call while its caller is still in the send
        // path and about to throw something else. Mark the error observed so it is not reported as an unobserved
        // task exception; a caller that awaits the task still gets it.
        if (_completion.TrySetException(exception))
        {
            _ = _completion.Task.Exception;
        }
    }
}

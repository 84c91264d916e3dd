using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ocpp.Rpc.Internal;

namespace Ocpp.Rpc;

/// <summary>
/// Answers a retried CALL (same station, same message id, same action: OCPP-J lets a retry reuse its id) with the
/// CALLRESULT the handler gave the first time, without running the handler again. A retry that arrives while the first
/// is still being handled (on a new connection, after the old one dropped) waits for that answer. A CALLERROR is not
/// remembered: a retry after one runs the handler again, as the retry rule intends. Together with a station that
/// resends its transaction messages with their ids, each is handled once.
/// </summary>
/// <remarks>
/// Add it to <see cref="OcppConnectionOptions.CallFilters"/> (the server's <c>DuplicateCalls</c> option does that). The
/// memory is in this process: one instance shared by every server that should see the same retries. Bounded per station
/// by <see cref="OcppDuplicateCallOptions.MaxEntriesPerStation"/> answers; stations idle for longer than the time to
/// live are forgotten. With <see cref="OcppDuplicateCallOptions.Store"/> set (a Redis cluster), answers are shared
/// with every node too: a retry on another node is answered from the store, and one that arrives there while this
/// node still runs the call waits for its answer (up to <see cref="OcppDuplicateCallOptions.ClaimTimeout"/>). A store
/// that fails is logged and the call runs (this node's memory still applies): an outage of the store costs at most a
/// second run of a retried call, never a lost one.
/// </remarks>
public sealed class OcppDuplicateCallFilter : IOcppCallFilter
{
    private const int SweepEvery = 4096;
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(500);
    private readonly ConcurrentDictionary<string, StationReplies> _stations = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private int _sinceSweep;

    /// <summary>Creates the filter.</summary>
    /// <param name="options">How many answers to remember and for how long; <see cref="OcppDuplicateCallOptions.Default"/> when null.</param>
    /// <param name="loggerFactory">Where failures of <see cref="OcppDuplicateCallOptions.Store"/> are logged; none when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">A limit is not positive.</exception>
    public OcppDuplicateCallFilter(OcppDuplicateCallOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        Options = options ?? OcppDuplicateCallOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.MaxEntriesPerStation, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Options.TimeToLive, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Options.ClaimTimeout, TimeSpan.Zero, nameof(options));
        ArgumentNullException.ThrowIfNull(Options.TimeProvider, nameof(options));
        _logger = loggerFactory?.CreateLogger("Ocpp.Rpc.OcppDuplicateCallFilter") ?? NullLogger.Instance;
    }

    /// <summary>The options.</summary>
    public OcppDuplicateCallOptions Options { get; }

    /// <summary>How many retries were answered from memory.</summary>
    public long DuplicatesAnswered => Interlocked.Read(ref _duplicates);

    private long _duplicates;

    /// <inheritdoc/>
    public async ValueTask<OcppReply> InvokeAsync(OcppCallContext context, OcppCallHandler next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.MessageType != OcppMessageType.Call || (Options.Actions is { } actions && !actions.Contains(context.Action)))
        {
            return await next(context).ConfigureAwait(false);
        }

        long now = Options.TimeProvider.GetTimestamp();
        StationReplies station = _stations.GetOrAdd(context.Identity ?? string.Empty, static _ => new StationReplies());
        SweepSometimes(now);
        while (true)
        {
            (Reply reply, bool first) = station.Claim(context.MessageId, context.Action, now, this);
            if (first)
            {
                return Options.Store is { } store && context.Identity is not null
                    ? await RunSharedAsync(store, station, reply, context, next).ConfigureAwait(false)
                    : await RunAsync(station, reply, context, next).ConfigureAwait(false);
            }

            byte[]? answered = await reply.Answer.Task.ConfigureAwait(false);
            if (answered is not null)
            {
                Interlocked.Increment(ref _duplicates);
                return OcppReply.With(OcppPayload.FromUtf8Json(answered));
            }

            // The first run failed (CALLERROR, no reply) and was forgotten: this one claims it afresh.
        }
    }

    private static async ValueTask<OcppReply> RunAsync(StationReplies station, Reply reply, OcppCallContext context, OcppCallHandler next)
    {
        try
        {
            OcppReply result = await next(context).ConfigureAwait(false);
            if (result.IsNoReply)
            {
                station.Forget(context.MessageId, reply);
                reply.Answer.TrySetResult(null);
                return result;
            }

            byte[] bytes = result.Payload.ToUtf8Array();
            reply.Answer.TrySetResult(bytes);
            return OcppReply.With(OcppPayload.FromUtf8Json(bytes));
        }
        catch
        {
            station.Forget(context.MessageId, reply);
            reply.Answer.TrySetResult(null);
            throw;
        }
    }

    // This node claimed the call; now every node: answered elsewhere, wait for a node that runs it, or run it here.
    private async ValueTask<OcppReply> RunSharedAsync(IOcppCallReplyStore store, StationReplies station, Reply reply, OcppCallContext context, OcppCallHandler next)
    {
        OcppCallReplyClaim? claim = await ClaimSharedAsync(store, context).ConfigureAwait(false);
        if (claim is { Outcome: OcppCallReplyClaimOutcome.Answered } answered)
        {
            byte[] stored = answered.Reply.ToArray();
            reply.Answer.TrySetResult(stored);
            Interlocked.Increment(ref _duplicates);
            return OcppReply.With(OcppPayload.FromUtf8Json(stored));
        }

        try
        {
            OcppReply result = await next(context).ConfigureAwait(false);
            if (result.IsNoReply)
            {
                await ReleaseSharedAsync(store, claim, context).ConfigureAwait(false);
                station.Forget(context.MessageId, reply);
                reply.Answer.TrySetResult(null);
                return result;
            }

            // Saved before the answer goes out, and also when the connection is gone by now (no cancellation: the
            // store's own timeout bounds it): a station that misses the answer and retries elsewhere finds it there.
            byte[] bytes = result.Payload.ToUtf8Array();
            if (claim is { } mine)
            {
                try
                {
                    await store.SaveAsync(mine, bytes, Options.TimeToLive, CancellationToken.None).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // Logged; the answer still goes out, and only a retry elsewhere could run the call again.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Log.DuplicateCallStoreFailed(_logger, ex, context.Identity, context.Action, context.MessageId, "save the answer");
                }
            }

            reply.Answer.TrySetResult(bytes);
            return OcppReply.With(OcppPayload.FromUtf8Json(bytes));
        }
        catch
        {
            await ReleaseSharedAsync(store, claim, context).ConfigureAwait(false);
            station.Forget(context.MessageId, reply);
            reply.Answer.TrySetResult(null);
            throw;
        }
    }

    // Null when the store failed: the call then runs on this node's memory alone.
    private async ValueTask<OcppCallReplyClaim?> ClaimSharedAsync(IOcppCallReplyStore store, OcppCallContext context)
    {
        TimeSpan poll = FirstPoll;
        try
        {
            while (true)
            {
                OcppCallReplyClaim claim = await store.ClaimAsync(context.Identity!, context.Action, context.MessageId, Options.ClaimTimeout, context.CancellationToken).ConfigureAwait(false);
                if (claim.Outcome != OcppCallReplyClaimOutcome.InProgress)
                {
                    return claim;
                }

                // Another node runs it (the station's old connection is still being handled there): poll for its
                // answer; its claim expires after ClaimTimeout if that node died.
                await Task.Delay(poll, Options.TimeProvider, context.CancellationToken).ConfigureAwait(false);
                poll = poll * 2 < LongestPoll ? poll * 2 : LongestPoll;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
        {
            Log.DuplicateCallStoreFailed(_logger, ex, context.Identity, context.Action, context.MessageId, "claim the call");
            return null;
        }
    }

    private async ValueTask ReleaseSharedAsync(IOcppCallReplyStore store, OcppCallReplyClaim? claim, OcppCallContext context)
    {
        if (claim is not { } mine)
        {
            return;
        }

        try
        {
            await store.ReleaseAsync(mine, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The claim then expires after ClaimTimeout; the handler's own outcome is what counts.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.DuplicateCallStoreFailed(_logger, ex, context.Identity, context.Action, context.MessageId, "release the claim");
        }
    }

    private long Expiry(long now) => now + (long)(Options.TimeToLive.TotalSeconds * Options.TimeProvider.TimestampFrequency);

    private void SweepSometimes(long now)
    {
        if (Interlocked.Increment(ref _sinceSweep) % SweepEvery != 0)
        {
            return;
        }

        foreach (KeyValuePair<string, StationReplies> pair in _stations)
        {
            if (pair.Value.IsIdle(now))
            {
                _stations.TryRemove(pair);
            }
        }
    }

    private sealed class Reply(string action, long expires)
    {
        public string Action { get; } = action;

        public long Expires { get; } = expires;

        // The CALLRESULT bytes; null when the first run ended without one (then it is forgotten).
        public TaskCompletionSource<byte[]?> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class StationReplies
    {
        private readonly Dictionary<string, Reply> _replies = new(StringComparer.Ordinal);
        private readonly Queue<(string Id, Reply Reply)> _order = new();
        private long _lastExpiry;

        public (Reply Reply, bool First) Claim(string messageId, string action, long now, OcppDuplicateCallFilter owner)
        {
            lock (_replies)
            {
                if (_replies.TryGetValue(messageId, out Reply? known) && known.Expires > now && string.Equals(known.Action, action, StringComparison.Ordinal))
                {
                    return (known, false);
                }

                var reply = new Reply(action, owner.Expiry(now));
                _replies[messageId] = reply;
                _order.Enqueue((messageId, reply));
                _lastExpiry = reply.Expires;
                while (_order.Count > owner.Options.MaxEntriesPerStation || (_order.Count > 0 && _order.Peek().Reply.Expires <= now))
                {
                    (string id, Reply old) = _order.Dequeue();
                    if (_replies.TryGetValue(id, out Reply? current) && ReferenceEquals(current, old))
                    {
                        _replies.Remove(id);
                    }
                }

                return (reply, true);
            }
        }

        public void Forget(string messageId, Reply reply)
        {
            lock (_replies)
            {
                if (_replies.TryGetValue(messageId, out Reply? current) && ReferenceEquals(current, reply))
                {
                    _replies.Remove(messageId);
                }
            }
        }

        public bool IsIdle(long now)
        {
            lock (_replies)
            {
                return _lastExpiry <= now;
            }
        }
    }
}

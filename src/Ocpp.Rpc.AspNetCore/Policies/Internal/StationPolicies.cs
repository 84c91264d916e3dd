using System.Collections.Frozen;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Ocpp.Rpc.AspNetCore.Internal;

namespace Ocpp.Rpc.AspNetCore.Policies;

// The server's session policies as one call filter, first in every station's pipeline: the call-rate bucket, then the
// boot gate. One instance per server; per-connection state lives in a weak table keyed by the connection, so a
// closed connection's state goes with it, and a connection the server did not make (none should reach here) passes.
internal sealed class StationPolicies : IOcppCallFilter, IOcppOutboundCallFilter
{
    private const string BootNotification = "BootNotification";

    private readonly ConditionalWeakTable<OcppConnection, StationPolicyState> _states = new();
    private readonly OcppBootGatingOptions? _gating;
    private readonly OcppCallRateLimitOptions? _rate;
    private readonly TokenBucketRateLimiterOptions? _bucket;
    private readonly TimeSpan _tokenInterval;
    private readonly FrozenSet<string> _pending16;
    private readonly FrozenSet<string> _pending2x;
    private readonly ILogger _logger;

    public StationPolicies(OcppBootGatingOptions? gating, IOcppBootStatusStore? store, OcppCallRateLimitOptions? rate, ILogger logger)
    {
        _gating = gating;
        Store = gating is null ? null : store ?? new InMemoryOcppBootStatusStore();
        _rate = rate;
        _logger = logger;
        if (rate is not null)
        {
            // Filled from the clock by TryReplenish before each attempt: no timer per station.
            _bucket = new TokenBucketRateLimiterOptions
            {
                TokenLimit = rate.Burst,
                TokensPerPeriod = rate.PermitsPerPeriod,
                ReplenishmentPeriod = rate.Period,
                QueueLimit = 0,
                AutoReplenishment = false,
            };
            _tokenInterval = rate.Period / rate.PermitsPerPeriod;
        }

        _pending16 = (gating?.PendingActions ?? OcppBootGatingOptions.GetSpecPendingActions(OcppDialect.Ocpp16)).ToFrozenSet(StringComparer.Ordinal);
        _pending2x = (gating?.PendingActions ?? OcppBootGatingOptions.GetSpecPendingActions(OcppDialect.Ocpp201)).ToFrozenSet(StringComparer.Ordinal);
    }

    public IOcppBootStatusStore? Store { get; }

    // Before the connection reads: its bucket, and the status its identity had (a reconnect is not gated again).
    public async ValueTask AttachAsync(OcppConnection connection, CancellationToken cancellationToken)
    {
        var state = new StationPolicyState(_bucket);
        if (Store is { } store && connection.Identity is { } identity)
        {
            try
            {
                state.BootStatus = await store.GetAsync(identity, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The store is down: the station is gated until it boots again (fail closed), and told so in the log.
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                ServerLog.BootStatusStoreFailed(_logger, ex, identity, "read");
            }
        }

        _states.AddOrUpdate(connection, state);
    }

    public OcppBootStatus? GetBootStatus(OcppConnection connection) =>
        _states.TryGetValue(connection, out StationPolicyState? state) ? state.BootStatus : null;

    public void SetBootStatus(OcppConnection connection, OcppBootStatus status)
    {
        if (_states.TryGetValue(connection, out StationPolicyState? state))
        {
            state.BootStatus = status;
        }
    }

    public ValueTask<OcppReply> InvokeAsync(OcppCallContext context, OcppCallHandler next)
    {
        if (!_states.TryGetValue(context.Connection, out StationPolicyState? state))
        {
            return next(context);
        }

        if (state.Limiter is { } limiter && (state.AnyWaiting || !TryTake(limiter)))
        {
            if (_rate!.WhenExceeded == OcppRateLimitExceededAction.Reject)
            {
                throw RateExceeded(context, limiter);
            }

            return WaitThenGateAsync(context, next, state, limiter);
        }

        return Gate(context, next, state);
    }

    // Outbound: no calls to a Rejected station (2.0.1 B03), refused before anything is sent or queued.
    public ValueTask<OcppCallResult> InvokeAsync(OcppOutboundCallContext context, OcppOutboundCallHandler next)
    {
        if (_gating is not null && _states.TryGetValue(context.Connection, out StationPolicyState? state) && state.BootStatus == OcppBootStatus.Rejected)
        {
            ServerLog.CallGated(_logger, context.Connection.Identity, context.Action, "Rejected, outbound");
            throw new OcppStationRejectedException(context.Connection.Identity, context.Action);
        }

        return next(context);
    }

    public bool GatesOutbound => _gating is not null;

    private ValueTask<OcppReply> Gate(OcppCallContext context, OcppCallHandler next, StationPolicyState state)
    {
        if (_gating is null)
        {
            return next(context);
        }

        string action = context.Action;
        if (action == BootNotification)
        {
            return RecordBootAsync(context, next, state);
        }

        switch (state.BootStatus)
        {
            case OcppBootStatus.Accepted:
                return next(context);
            case OcppBootStatus.Rejected:
                ServerLog.CallGated(_logger, context.Identity, action, "Rejected");
                return _gating.AnswerRejectedStations
                    ? throw new OcppSecurityErrorException($"{action} refused: the station's BootNotification was answered Rejected.")
                    : ValueTask.FromResult(OcppReply.NoReply);
            default:
                FrozenSet<string> allowed = context.Connection.Dialect == OcppDialect.Ocpp16 ? _pending16 : _pending2x;
                if (allowed.Contains(action))
                {
                    return next(context);
                }

                ServerLog.CallGated(_logger, context.Identity, action, state.BootStatus?.ToString() ?? "not booted");
                throw new OcppSecurityErrorException($"{action} is not allowed before the BootNotification has been accepted.");
        }
    }

    // The status is taken from the reply before it is sent, so the station's next call already meets it.
    private async ValueTask<OcppReply> RecordBootAsync(OcppCallContext context, OcppCallHandler next, StationPolicyState state)
    {
        OcppReply reply = await next(context).ConfigureAwait(false);
        if (reply.IsNoReply || BootReply.ReadStatus(reply.Payload) is not { } status)
        {
            return reply;
        }

        OcppBootStatus? before = state.BootStatus;
        state.BootStatus = status;
        if (before != status)
        {
            ServerLog.BootStatusChanged(_logger, context.Identity, status);
        }

        if (context.Identity is { } identity)
        {
            try
            {
                await Store!.SetAsync(identity, status, context.CancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // This connection has its status; only a reconnect elsewhere misses it.
            catch (Exception ex) when (ex is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                ServerLog.BootStatusStoreFailed(_logger, ex, identity, "write");
            }
        }

        return reply;
    }

    private static bool TryTake(TokenBucketRateLimiter limiter)
    {
        limiter.TryReplenish();
        using RateLimitLease lease = limiter.AttemptAcquire();
        return lease.IsAcquired;
    }

    // Back-pressure: the connection stops reading at once until this call has its token (so the station's next
    // messages stay in TCP), then the call runs. Calls already read wait in arrival order (the bucket refills in
    // _tokenInterval steps).
    private ValueTask<OcppReply> WaitThenGateAsync(OcppCallContext context, OcppCallHandler next, StationPolicyState state, TokenBucketRateLimiter limiter)
    {
        ServerLog.CallRateLimited(_logger, context.Identity, context.Action, "waits");
        Task admitted = WaitForTokenAsync(context, state, limiter);
        context.Connection.PauseReading(admitted);
        return GateWhenAdmittedAsync(admitted, context, next, state);
    }

    private async ValueTask<OcppReply> GateWhenAdmittedAsync(Task admitted, OcppCallContext context, OcppCallHandler next, StationPolicyState state)
    {
        await admitted.ConfigureAwait(false);
        return await Gate(context, next, state).ConfigureAwait(false);
    }

    private async Task WaitForTokenAsync(OcppCallContext context, StationPolicyState state, TokenBucketRateLimiter limiter)
    {
        state.EnterWait();
        try
        {
            await state.Queue.WaitAsync(context.CancellationToken).ConfigureAwait(false);
            try
            {
                while (!TryTake(limiter))
                {
                    await Task.Delay(_tokenInterval, context.CancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                state.Queue.Release();
            }
        }
        finally
        {
            state.LeaveWait();
        }
    }

    private OcppRpcException RateExceeded(OcppCallContext context, TokenBucketRateLimiter limiter)
    {
        ServerLog.CallRateLimited(_logger, context.Identity, context.Action, "refused");
        double available = limiter.GetStatistics()?.CurrentAvailablePermits ?? 0;
        double seconds = Math.Max(_tokenInterval.TotalSeconds * (1 - available), _tokenInterval.TotalSeconds);
        string retry = seconds.ToString("0.###", CultureInfo.InvariantCulture);
        using JsonDocument details = JsonDocument.Parse("{\"retryAfterSeconds\":" + retry + "}");
        return OcppRpcException.Create(_rate!.ErrorCode, null, $"Rate limit exceeded ({_rate.PermitsPerPeriod} calls per {_rate.Period}); retry in {retry} s.", details.RootElement.Clone());
    }
}

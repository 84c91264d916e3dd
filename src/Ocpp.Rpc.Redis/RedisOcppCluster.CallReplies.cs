using System.Globalization;
using StackExchange.Redis;

namespace Ocpp.Rpc.Redis;

// The duplicate-call filter's shared memory: one key per answered or running call,
// {prefix}reply:{action}:{identity length}:{identity}:{message id} (the length keeps identity and id apart, since both
// may hold ':'), holding "P" + claim token while a node runs the call (expires after the claim timeout) and "R" + the
// CALLRESULT payload once it answered (expires after the time to live). One key per command and script, so it works
// the same on one Redis and on a Redis Cluster.
public sealed partial class RedisOcppCluster : IOcppCallReplyStore
{
    private const byte PendingMark = (byte)'P';
    private const byte AnsweredMark = (byte)'R';

    // Returns the key's value when it has one; otherwise sets the claim and returns nil.
    private static readonly string ClaimReplyScript = """
        local v = redis.call('GET', KEYS[1])
        if v then return v end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return false
        """;

    private static readonly string ReleaseReplyScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    /// <summary>Claims a call for this node in Redis, unless another node answered it (returns the answer) or runs it now.</summary>
    /// <param name="identity">The station identity.</param>
    /// <param name="action">The call's action.</param>
    /// <param name="messageId">The call's message id.</param>
    /// <param name="claimFor">How long the claim holds if this node never saves or releases it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What Redis holds for the call.</returns>
    /// <exception cref="Clustering.OcppClusterUnavailableException">Redis is unreachable.</exception>
    public async ValueTask<OcppCallReplyClaim> ClaimAsync(string identity, string action, string messageId, TimeSpan claimFor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(messageId);
        IConnectionMultiplexer redis = await ConnectedRedisAsync($"claim {action} {messageId} of '{identity}'").ConfigureAwait(false);
        string token = NodeId + ":" + Interlocked.Increment(ref _nextCorrelationId).ToString(CultureInfo.InvariantCulture);
        byte[] pending = [PendingMark, .. System.Text.Encoding.UTF8.GetBytes(token)];
        long milliseconds = Math.Max(1, (long)claimFor.TotalMilliseconds);
        RedisResult result = await Guard(
            redis.GetDatabase().ScriptEvaluateAsync(ClaimReplyScript, [ReplyKey(identity, action, messageId)], [pending, milliseconds]),
            $"claim {action} {messageId} of '{identity}'",
            cancellationToken).ConfigureAwait(false);
        if (result.IsNull)
        {
            return new OcppCallReplyClaim(OcppCallReplyClaimOutcome.Claimed, identity, action, messageId, token, default);
        }

        byte[] value = (byte[])result!;
        return value.Length > 0 && value[0] == AnsweredMark
            ? new OcppCallReplyClaim(OcppCallReplyClaimOutcome.Answered, identity, action, messageId, null, value.AsMemory(1))
            : new OcppCallReplyClaim(OcppCallReplyClaimOutcome.InProgress, identity, action, messageId, null, default);
    }

    /// <summary>Saves a claimed call's CALLRESULT payload in Redis for every node.</summary>
    /// <param name="claim">The claim.</param>
    /// <param name="reply">The CALLRESULT payload.</param>
    /// <param name="timeToLive">How long the answer is kept.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="Clustering.OcppClusterUnavailableException">Redis is unreachable.</exception>
    public async ValueTask SaveAsync(OcppCallReplyClaim claim, ReadOnlyMemory<byte> reply, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        IConnectionMultiplexer redis = await ConnectedRedisAsync($"save the answer to {claim.Action} {claim.MessageId} of '{claim.Identity}'").ConfigureAwait(false);
        byte[] value = new byte[reply.Length + 1];
        value[0] = AnsweredMark;
        reply.Span.CopyTo(value.AsSpan(1));
        await Guard(
            redis.GetDatabase().StringSetAsync(ReplyKey(claim.Identity, claim.Action, claim.MessageId), value, timeToLive),
            $"save the answer to {claim.Action} {claim.MessageId} of '{claim.Identity}'",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops this node's claim on a call that got no CALLRESULT (another node's claim or an answer is left alone).</summary>
    /// <param name="claim">The claim.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="Clustering.OcppClusterUnavailableException">Redis is unreachable (the claim then expires by itself).</exception>
    public async ValueTask ReleaseAsync(OcppCallReplyClaim claim, CancellationToken cancellationToken = default)
    {
        if (claim.Token is null)
        {
            return;
        }

        IConnectionMultiplexer redis = await ConnectedRedisAsync($"release {claim.Action} {claim.MessageId} of '{claim.Identity}'").ConfigureAwait(false);
        byte[] pending = [PendingMark, .. System.Text.Encoding.UTF8.GetBytes(claim.Token)];
        await Guard(
            redis.GetDatabase().ScriptEvaluateAsync(ReleaseReplyScript, [ReplyKey(claim.Identity, claim.Action, claim.MessageId)], [pending]),
            $"release {claim.Action} {claim.MessageId} of '{claim.Identity}'",
            cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<IConnectionMultiplexer> ConnectedRedisAsync(string what)
    {
        IConnectionMultiplexer redis = await GetRedisAsync().ConfigureAwait(false);
        return redis.IsConnected ? redis : throw NotConnectedToRedis(what);
    }

    private RedisKey ReplyKey(string identity, string action, string messageId) => Internal.RedisKeys.Reply(_options.Prefix, identity, action, messageId);
}

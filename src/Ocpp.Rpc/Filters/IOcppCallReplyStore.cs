namespace Ocpp.Rpc;

/// <summary>
/// Where <see cref="OcppDuplicateCallFilter"/> shares answered calls among servers, so that a station that retries a
/// transaction message on another node (after its connection to the first dropped) gets the first answer instead of
/// a second run of the handler. The Redis cluster (<c>Ocpp.Rpc.Redis</c>) implements it; set it on
/// <see cref="OcppDuplicateCallOptions.Store"/> (the server does that by itself when its cluster is one).
/// </summary>
/// <remarks>
/// A call is identified by station identity, action and message id (OCPP-J lets a retry reuse its id). The filter
/// claims a call before running its handler, saves the CALLRESULT when the handler answered, and releases the claim
/// when it did not (a CALLERROR is not remembered: the retry rule wants the handler to run again).
/// </remarks>
public interface IOcppCallReplyStore
{
    /// <summary>
    /// Claims a call for this server, unless it was answered (then returns the answer) or another server holds an
    /// unexpired claim (then returns <see cref="OcppCallReplyClaimOutcome.InProgress"/>).
    /// </summary>
    /// <param name="identity">The station identity.</param>
    /// <param name="action">The call's action.</param>
    /// <param name="messageId">The call's message id.</param>
    /// <param name="claimFor">How long the claim holds if this server never saves or releases it (it died).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The outcome; with <see cref="OcppCallReplyClaimOutcome.Claimed"/>, the token to save or release with.</returns>
    ValueTask<OcppCallReplyClaim> ClaimAsync(string identity, string action, string messageId, TimeSpan claimFor, CancellationToken cancellationToken = default);

    /// <summary>Saves the CALLRESULT payload of a claimed call, replacing the claim, for <paramref name="timeToLive"/>.</summary>
    /// <param name="claim">The claim <see cref="ClaimAsync"/> returned.</param>
    /// <param name="reply">The CALLRESULT payload (UTF-8 JSON).</param>
    /// <param name="timeToLive">How long the answer is kept.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask SaveAsync(OcppCallReplyClaim claim, ReadOnlyMemory<byte> reply, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>Drops a claim whose handler gave no CALLRESULT, so a retry runs the handler again; a claim that is no longer this one's is left alone.</summary>
    /// <param name="claim">The claim <see cref="ClaimAsync"/> returned.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask ReleaseAsync(OcppCallReplyClaim claim, CancellationToken cancellationToken = default);
}

/// <summary>What <see cref="IOcppCallReplyStore.ClaimAsync"/> found.</summary>
public enum OcppCallReplyClaimOutcome
{
    /// <summary>The call is this server's to run; save or release the claim afterwards.</summary>
    Claimed,

    /// <summary>The call was answered before: <see cref="OcppCallReplyClaim.Reply"/> is the CALLRESULT payload.</summary>
    Answered,

    /// <summary>Another server is running the call now (its claim has not expired).</summary>
    InProgress,
}

/// <summary>The result of <see cref="IOcppCallReplyStore.ClaimAsync"/>.</summary>
/// <param name="Outcome">What the store found.</param>
/// <param name="Identity">The station identity.</param>
/// <param name="Action">The call's action.</param>
/// <param name="MessageId">The call's message id.</param>
/// <param name="Token">With <see cref="OcppCallReplyClaimOutcome.Claimed"/>: what identifies this claim in the store.</param>
/// <param name="Reply">With <see cref="OcppCallReplyClaimOutcome.Answered"/>: the CALLRESULT payload (UTF-8 JSON).</param>
public readonly record struct OcppCallReplyClaim(OcppCallReplyClaimOutcome Outcome, string Identity, string Action, string MessageId, string? Token, ReadOnlyMemory<byte> Reply);

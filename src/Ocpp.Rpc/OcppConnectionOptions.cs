using Microsoft.Extensions.Logging;
using Ocpp.Rpc.Validation;

namespace Ocpp.Rpc;

/// <summary>How an <see cref="OcppConnection"/> behaves. Immutable: derive variants with <c>with</c>.</summary>
public sealed record OcppConnectionOptions
{
    /// <summary>The defaults.</summary>
    public static OcppConnectionOptions Default { get; } = new();

    /// <summary>How long an outbound CALL waits for its response. Default 30 s.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many outbound CALLs may be in flight at once. Default 1: OCPP-J allows one outstanding CALL per
    /// direction. Further calls wait in a queue of at most <see cref="MaxQueuedCalls"/>.
    /// </summary>
    public int CallConcurrency { get; init; } = 1;

    /// <summary>How many outbound calls may wait for their turn; one more throws <see cref="OcppCallQueueFullException"/>. Default 1000.</summary>
    public int MaxQueuedCalls { get; init; } = 1000;

    /// <summary>
    /// How many inbound CALL handlers may run at once. When reached, the connection stops reading until one
    /// finishes (back-pressure on the peer). Default 16.
    /// </summary>
    public int MaxConcurrentHandlers { get; init; } = 16;

    /// <summary>
    /// Consecutive bad messages after which the connection is closed with 1002; <see langword="null"/> never closes.
    /// Default 10.
    /// </summary>
    public int? MaxBadMessages { get; init; } = 10;

    /// <summary>
    /// Bad messages within one minute after which the connection is closed with 1002, however they are interleaved
    /// with good ones (the consecutive <see cref="MaxBadMessages"/> alone can be dodged that way);
    /// <see langword="null"/> never closes. Default 30.
    /// </summary>
    public int? MaxBadMessagesPerMinute { get; init; } = 30;

    /// <summary>
    /// How many warnings about one peer's input the connection logs per minute (bad messages, strict-mode failures,
    /// unmatched responses, CALLRESULTERRORs received: events 1001, 1005, 1006, 1010). The rest are counted and
    /// reported in one <c>PeerWarningsSuppressed</c> event (1016) when the minute is over or the connection closes,
    /// so a flooding station cannot flood the log. <see langword="null"/> logs every one. Default 20.
    /// </summary>
    public int? MaxPeerWarningsPerMinute { get; init; } = 20;

    /// <summary>The largest message accepted, in bytes; a larger one closes the connection with 1009. Default 1 MiB.</summary>
    public int MaxMessageSize { get; init; } = 1024 * 1024;

    /// <summary>
    /// Whether a handler's unexpected exception is described to the peer (type and message in the InternalError).
    /// Default false: the peer only learns that an internal error occurred.
    /// </summary>
    public bool DetailedErrors { get; init; }

    /// <summary>Validates payloads in both directions (strict mode); <see langword="null"/> validates nothing.</summary>
    public IOcppPayloadValidator? Validator { get; init; }

    /// <summary>
    /// How long one outbound message (a reply, a call, an error) may take to be handed to the transport. A send that
    /// cannot complete in time means the peer stopped reading: the link is dropped, which ends every send and handler
    /// waiting behind it and returns their memory. <see cref="Timeout.InfiniteTimeSpan"/> waits forever. Default 15 s.
    /// </summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The most bytes of outbound messages that may wait to be sent on one connection (the one being written
    /// included). A message that would go beyond it while others wait drops the link: the peer is not reading fast
    /// enough, and its replies would otherwise pile up in memory. A single message is always allowed, whatever its
    /// size. Default 4 MiB.
    /// </summary>
    public int MaxPendingSendBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>How long a graceful close waits for the peer's close frame before dropping the link. Default 5 s.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Makes message ids for outbound messages (at most 36 characters, unique per connection). Default: random prefix + counter.</summary>
    public Func<string>? MessageIdGenerator { get; init; }

    /// <summary>Where log events go; <see langword="null"/> logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// The service provider that <see cref="OcppCallContext.Services"/> makes a scope of for each call that asks for
    /// one. <c>AddOcppServer</c> sets the host's; <see langword="null"/> (default) gives calls no services.
    /// </summary>
    public IServiceProvider? Services { get; init; }

    /// <summary>
    /// The filters every inbound CALL and SEND of every connection made with these options passes through, in order
    /// (see <see cref="IOcppCallFilter"/>). Default none, which costs nothing per message.
    /// </summary>
    public IReadOnlyList<IOcppCallFilter> CallFilters { get; init; } = [];

    /// <summary>
    /// The filters every outbound CALL and SEND of every connection made with these options passes through, in order
    /// (see <see cref="IOcppOutboundCallFilter"/>). Default none, which costs nothing per call.
    /// </summary>
    public IReadOnlyList<IOcppOutboundCallFilter> OutboundCallFilters { get; init; } = [];

    /// <summary>
    /// The observers that see every message every connection made with these options reads or writes (see
    /// <see cref="IOcppMessageObserver"/>). Default none.
    /// </summary>
    public IReadOnlyList<IOcppMessageObserver> MessageObservers { get; init; } = [];
}

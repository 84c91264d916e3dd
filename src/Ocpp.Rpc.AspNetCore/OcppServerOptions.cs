namespace Ocpp.Rpc.AspNetCore;

/// <summary>How an <see cref="OcppServer"/> accepts stations. Immutable: derive variants with <c>with</c>.</summary>
public sealed record OcppServerOptions
{
    /// <summary>The defaults: OCPP 2.1, 2.0.1 and 1.6, security profile 0, replace duplicates, 30 s keep-alive.</summary>
    public static OcppServerOptions Default { get; } = new();

    /// <summary>
    /// The subprotocols the server supports. The station lists its own in preference order and the server picks
    /// the first station-offered one found here (as OCPP-J requires), so this list says what is allowed, not which
    /// wins. Default: ocpp2.1, ocpp2.0.1, ocpp1.6.
    /// </summary>
    public IReadOnlyList<string> Protocols { get; init; } = [OcppProtocols.Ocpp21, OcppProtocols.Ocpp201, OcppProtocols.Ocpp16];

    /// <summary>
    /// The options of every accepted connection (timeouts, message size limit, validation, logging). The server
    /// logs through the same <see cref="OcppConnectionOptions.LoggerFactory"/>.
    /// </summary>
    public OcppConnectionOptions Connection { get; init; } = OcppConnectionOptions.Default;

    /// <summary>
    /// Opt-in: answer a retried CALL (same station, message id and action) with the CALLRESULT the handler gave the
    /// first time, without running the handler again (<see cref="OcppDuplicateCallFilter"/>, placed before the
    /// <see cref="OcppConnectionOptions.CallFilters"/>). The memory belongs to this server instance, and with a Redis
    /// cluster (or any cluster that is an <see cref="IOcppCallReplyStore"/>, unless
    /// <see cref="OcppDuplicateCallOptions.Store"/> names another) it is shared by every node, so a station that
    /// retries on another node after a reconnect is covered too. <see langword="null"/> (the default) runs the
    /// handler for every CALL.
    /// </summary>
    public OcppDuplicateCallOptions? DuplicateCalls { get; init; }

    /// <summary>
    /// The security profile enforced on every handshake. Profiles 1 and 2 need <see cref="Authenticate"/> to check
    /// the password; profiles 2 and 3 refuse requests that did not arrive over TLS. Default profile 0.
    /// </summary>
    public OcppSecurityProfile SecurityProfile { get; init; } = OcppSecurityProfile.None;

    /// <summary>
    /// Decides whether a station may connect, after the OCPP handshake rules and the security profile passed.
    /// <see langword="null"/> accepts every station (allowed for profiles 0 and 3 only).
    /// </summary>
    public Func<OcppHandshake, CancellationToken, ValueTask<OcppAuthResult>>? Authenticate { get; init; }

    /// <summary>
    /// Profile 3: whether the client certificate's subject CN must equal the identity
    /// (see <see cref="OcppCertificates.MatchesIdentity"/>); a mismatch is answered 403. Default true.
    /// </summary>
    public bool RequireCertificateIdentityMatch { get; init; } = true;

    /// <summary>TLS settings for <see cref="OcppServer.ListenAsync"/> (profiles 2 and 3), or for Kestrel via <see cref="OcppTlsOptions.ApplyTo"/>.</summary>
    public OcppTlsOptions? Tls { get; init; }

    /// <summary>
    /// How long a client may take from opening the connection to a completed upgrade (HTTP headers and the
    /// <see cref="Authenticate"/> callback); also the TLS handshake limit. Default 10 s.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The most stations connected (or handshaking) at once; beyond it the server answers 503. Default 10 000.</summary>
    public int MaxConnections { get; init; } = 10_000;

    /// <summary>
    /// What happens when an identity connects while already connected. <see langword="true"/> (default): the old
    /// connection is closed with 1008 and the new one takes its place. <see langword="false"/>: the new one is
    /// refused with HTTP 409.
    /// </summary>
    public bool ReplaceDuplicateConnections { get; init; } = true;

    /// <summary>How often the server sends WebSocket pings; <see cref="TimeSpan.Zero"/> sends none. Default 30 s.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long to wait for the pong to a ping before the peer is declared dead and the link is dropped;
    /// <see cref="Timeout.InfiniteTimeSpan"/> never drops. Default 30 s.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Accept permessage-deflate (RFC 7692) from OCPP 2.0.1/2.1 stations that offer it, as those versions require
    /// of a CSMS. Default true. Never applies to TLS-level compression.
    /// </summary>
    public bool EnableCompression { get; init; } = true;

    /// <summary>
    /// Whether compressed connections keep their LZ77 window from one message to the next (RFC 7692 context
    /// takeover). Default false: the server answers every offer with <c>server_no_context_takeover</c> and
    /// <c>client_no_context_takeover</c>, so compressor and decompressor state exist only while a message is being
    /// written or read, and an idle compressed station costs about what an idle plain one does. True compresses
    /// small, similar messages better, at about 300 KiB (server window, compressor) and 40 KiB (client window) per
    /// connection for its whole life.
    /// </summary>
    public bool CompressionContextTakeover { get; init; }

    /// <summary>
    /// Also accept permessage-deflate from OCPP 1.6 (and older) stations. OCPP-J 1.6 allows only what WebSocket
    /// itself allows and recommends against compression; default false.
    /// </summary>
    public bool EnableCompressionForOcpp16 { get; init; }

    /// <summary>
    /// How long a message may take from its first fragment to its last; one still incomplete then is closed with
    /// 1008. Bounds the memory a station pins by starting a message (e.g. one compressed fragment that inflates to
    /// nearly <see cref="OcppConnectionOptions.MaxMessageSize"/>) and never finishing it. Default 30 s.
    /// </summary>
    public TimeSpan IncompleteMessageTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most bytes that partly received messages may hold across all connections; beyond it the connection
    /// holding the most is closed with 1009. At least <see cref="OcppConnectionOptions.MaxMessageSize"/>. Default 64 MiB.
    /// </summary>
    public long IncompleteMessageBudget { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// The most bytes per second, after decompression, the server reads from one station whose connection is
    /// compressed; beyond it the server stops reading from that station until it is back within the rate (TCP then
    /// slows the station down). A few hundred compressed bytes can inflate to a megabyte and cost milliseconds of CPU,
    /// so without a cap one station could buy a core with little traffic. The burst allowed is the larger of this and
    /// <see cref="OcppConnectionOptions.MaxMessageSize"/>. Uncompressed connections are not limited (a station pays for
    /// every byte it sends). 0 for no limit; default 1 MiB/s, far above what a station sends.
    /// </summary>
    public long MaxInflatedBytesPerSecond { get; init; } = 1024 * 1024;

    /// <summary>How long <see cref="OcppServer.StopAsync"/> waits for in-flight calls before dropping connections. Default 10 s.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <see cref="OcppServer.ListenAsync"/> only: run Kestrel's socket continuations inline instead of handing them to
    /// its I/O queues (Kestrel's <c>UnsafePreferInlineScheduling</c>). A message is read, handled and answered on the
    /// thread that completed the socket read, which saves two thread hops per call. That can lower latency when few
    /// calls are in flight (measure on your machine: on a small one shared with other work the gain is not reliable),
    /// and it lowers throughput when many are (replies are no longer batched into one socket write). Default false.
    /// </summary>
    /// <remarks>
    /// Handlers then run on the thread that completed the socket read until their first await. That is a thread-pool
    /// thread (unless the process sets <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>), so a handler that blocks
    /// holds up its own station only, as without this option; keep handlers asynchronous all the same. Hosts that use
    /// <c>MapOcpp</c> set <c>SocketTransportOptions.UnsafePreferInlineScheduling</c> on their own Kestrel instead.
    /// </remarks>
    public bool PreferInlineScheduling { get; init; }

    /// <summary>
    /// Boot gating (OCPP-J 1.6 errata, 2.0.1/2.1 B02 and B03): until a station's BootNotification was answered
    /// Accepted, its other CALLs get SecurityError (except what a Pending station may send), a Rejected station gets
    /// only BootNotification answered, and calls to it throw <see cref="OcppStationRejectedException"/>.
    /// <see langword="null"/> (default) gates nothing: the application decides what a station may do before it booted.
    /// </summary>
    public OcppBootGatingOptions? BootGating { get; init; }

    /// <summary>
    /// A per-station limit on inbound CALLs (a token bucket per connection); <see langword="null"/> (default) limits
    /// nothing beyond <see cref="OcppConnectionOptions.MaxConcurrentHandlers"/>.
    /// </summary>
    public OcppCallRateLimitOptions? CallRateLimit { get; init; }

    /// <summary>
    /// A limit on handshakes per remote IP address, answered HTTP 429 with <c>Retry-After</c>; <see langword="null"/>
    /// (default) limits nothing beyond <see cref="MaxConnections"/>.
    /// </summary>
    public OcppHandshakeRateLimitOptions? HandshakeRateLimit { get; init; }

    /// <summary>
    /// The OCPP message log (<see cref="OcppMessageLog"/>) over every station; <see langword="null"/> (default) writes none.
    /// </summary>
    public OcppMessageLogOptions? MessageLog { get; init; }
}

using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace Ocpp.Rpc.Client;

/// <summary>
/// How an <see cref="OcppClient"/> connects: endpoint, identity, subprotocols, credentials, TLS, keep-alive and
/// reconnection. Immutable: derive variants with <c>with</c>.
/// </summary>
public sealed record OcppClientOptions
{
    /// <summary>The largest Basic-auth password accepted by <see cref="WithHexPassword"/>: 40 hex digits (20 bytes, OCPP 1.6).</summary>
    public const int MaxHexPasswordDigits = 40;

    /// <summary>The defaults (no endpoint or identity: set both).</summary>
    public static OcppClientOptions Default { get; } = new();

    /// <summary>The CSMS base URI, <c>ws://</c> or <c>wss://</c>, e.g. <c>wss://csms.example.com/ocpp</c>. The identity is appended as a path segment.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>
    /// The CSMS endpoints in priority order, each with its own URL, security profile, password and TLS settings (OCPP
    /// 2.0.1 connection profiles by <c>NetworkConfigurationPriority</c>). After <see cref="EndpointAttempts"/> failed
    /// attempts on one, the client moves to the next (and from the last back to the first); see
    /// <see cref="OcppClient.SwitchEndpointAsync"/> to return to a higher-priority one. Empty (the default) uses
    /// <see cref="Endpoint"/>, <see cref="Password"/> and <see cref="Tls"/> as the only endpoint.
    /// </summary>
    public IReadOnlyList<OcppEndpoint> Endpoints { get; init; } = [];

    /// <summary>
    /// How many connection attempts are made on an endpoint before moving to the next one (OCPP 2.0.1
    /// <c>NetworkProfileConnectionAttempts</c>); the back-off starts again on each endpoint. Default 3.
    /// </summary>
    public int EndpointAttempts { get; init; } = 3;

    /// <summary>
    /// The station identity. It is percent-encoded (every character outside the RFC 3986 unreserved set, as UTF-8)
    /// and appended to <see cref="Endpoint"/> as <c>endpoint + "/" + identity</c>; it is also the Basic-auth username.
    /// It is not checked against OCPP's identifierString rules (at most 48 characters of <c>a-zA-Z0-9*-_=:+|@.</c>):
    /// the CSMS decides what it accepts.
    /// </summary>
    public string? Identity { get; init; }

    /// <summary>The subprotocols offered when <see cref="Protocols"/> is empty: <c>ocpp2.1</c>, <c>ocpp2.0.1</c>, <c>ocpp1.6</c>.</summary>
    public static IReadOnlyList<string> DefaultProtocols { get; } = [OcppProtocols.Ocpp21, OcppProtocols.Ocpp201, OcppProtocols.Ocpp16];

    /// <summary>
    /// The subprotocols offered, most preferred first; empty (the default) offers <see cref="DefaultProtocols"/>.
    /// After the first connection only the negotiated one is offered again. (Empty rather than the list itself, so
    /// that binding from configuration replaces the default list instead of appending to it.)
    /// </summary>
    public IReadOnlyList<string> Protocols { get; init; } = [];

    /// <summary>The subprotocols the client offers: <see cref="Protocols"/>, or <see cref="DefaultProtocols"/> when it is empty.</summary>
    public IReadOnlyList<string> EffectiveProtocols => Protocols is { Count: > 0 } protocols ? protocols : DefaultProtocols;

    /// <summary>Extra HTTP headers sent with the handshake.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Extra query parameters appended to the URL (names and values are percent-encoded).</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? QueryParameters { get; init; }

    /// <summary>
    /// The HTTP Basic-auth password (security profiles 1 and 2), as raw bytes so binary 1.6 passwords survive; the
    /// username is <see cref="Identity"/>. <see langword="null"/> sends no <c>Authorization</c> header.
    /// See <see cref="WithPassword"/> and <see cref="WithHexPassword"/>.
    /// </summary>
#pragma warning disable CA1819 // A byte password is the natural shape; the record is immutable by convention.
    public byte[]? Password { get; init; }
#pragma warning restore CA1819

    /// <summary>TLS settings for <c>wss://</c>.</summary>
    public OcppClientTlsOptions Tls { get; init; } = new();

    /// <summary>
    /// How often a WebSocket ping is sent; <see cref="TimeSpan.Zero"/> disables pings (OCPP <c>WebSocketPingInterval</c> 0).
    /// Default 30 s.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long to wait for the pong after a ping before the link is considered dead and dropped (which triggers a
    /// reconnect). <see cref="TimeSpan.Zero"/> or <see cref="Timeout.InfiniteTimeSpan"/> sends unsolicited pongs
    /// instead and never detects a dead peer. Default 10 s.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one connection attempt (TCP, TLS and the WebSocket handshake) may take. Default 30 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>permessage-deflate (RFC 7692) to request; <see langword="null"/> requests none (optional for stations). Default null.</summary>
    public WebSocketDeflateOptions? Compression { get; init; }

    /// <summary>An HTTP proxy for the handshake; <see langword="null"/> connects directly. Default null.</summary>
    public IWebProxy? Proxy { get; init; }

    /// <summary>The options of every underlying <see cref="OcppConnection"/> (call timeout, concurrency, validation, logging).</summary>
    public OcppConnectionOptions Connection { get; init; } = new();

    /// <summary>Reconnection and its back-off.</summary>
    public OcppReconnectOptions Reconnect { get; init; } = new();

    /// <summary>
    /// How many calls may wait while the client is connecting or reconnecting; one more throws
    /// <see cref="OcppCallQueueFullException"/>. Default 100.
    /// </summary>
    public int MaxQueuedCalls { get; init; } = 100;

    /// <summary>
    /// The outbound queue for transaction-related messages (kept across disconnects and, with a durable store,
    /// restarts; retried per the spec's rule); <see langword="null"/> (the default) sends every call the plain way.
    /// </summary>
    public OcppMessageQueueOptions? MessageQueue { get; init; }

    /// <summary>The clock used for back-off delays (replace it in tests). Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Returns a copy with a text password sent as UTF-8 (OCPP 2.0.1/2.1: 16-40 characters).</summary>
    /// <param name="password">The password.</param>
    /// <returns>The new options.</returns>
    public OcppClientOptions WithPassword(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return this with { Password = Encoding.UTF8.GetBytes(password) };
    }

    /// <summary>
    /// Returns a copy with a binary password given as hex digits, as OCPP 1.6 configures <c>AuthorizationKey</c>
    /// (up to 40 digits, i.e. 20 bytes; the spec asks for 16-20 bytes).
    /// </summary>
    /// <param name="hex">An even number of hex digits, at most <see cref="MaxHexPasswordDigits"/>.</param>
    /// <returns>The new options.</returns>
    /// <exception cref="ArgumentException">The text is not an even number of hex digits, or is longer than 40.</exception>
    public OcppClientOptions WithHexPassword(string hex)
    {
        ArgumentException.ThrowIfNullOrEmpty(hex);
        if (hex.Length > MaxHexPasswordDigits)
        {
            throw new ArgumentException($"A hex password has at most {MaxHexPasswordDigits} digits.", nameof(hex));
        }

        try
        {
            return this with { Password = Convert.FromHexString(hex) };
        }
        catch (FormatException ex)
        {
            throw new ArgumentException("A hex password is an even number of hex digits.", nameof(hex), ex);
        }
    }
}

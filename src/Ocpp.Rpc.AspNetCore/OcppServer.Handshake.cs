using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Ocpp.Rpc.AspNetCore.Internal;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.AspNetCore;

// The OCPP-J handshake: identity from the raw path, authentication, subprotocol negotiation, the 2.1 identity rule
// and duplicates, then the upgrade. Refusals are answered here.
public sealed partial class OcppServer
{
    /// <summary>
    /// Handles one HTTP request as an OCPP-J connection attempt; the identity is the last segment of the raw request
    /// path. Completes when the connection has closed. <c>MapOcpp</c> and <see cref="ListenAsync"/> route requests
    /// here; call it yourself only from a custom endpoint (the WebSockets middleware must run first).
    /// </summary>
    /// <param name="context">The request.</param>
    public Task HandleRequestAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Volatile.Read(ref _stopping) == 1)
        {
            Reject(context, null, StatusCodes.Status503ServiceUnavailable, "The server is shutting down.");
            return Task.CompletedTask;
        }

        if (_handshakeLimiter is { } limiter && !limiter.TryAcquire(context.Connection.RemoteIpAddress, out int retryAfter))
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Reject(context, null, StatusCodes.Status429TooManyRequests, "Too many handshakes from this address.");
            return Task.CompletedTask;
        }

        if (Interlocked.Increment(ref _sessions) > Options.MaxConnections)
        {
            Interlocked.Decrement(ref _sessions);
            Reject(context, null, StatusCodes.Status503ServiceUnavailable, "Connection limit reached.");
            return Task.CompletedTask;
        }

        // Not async itself: a connected station's request then holds one async state machine (RunSessionAsync's)
        // for its whole life instead of a chain of three.
        return RunSessionAsync(context);
    }

    // The handshake up to the upgrade; null when the request was answered (refused) instead.
    private async Task<(WebSocket Socket, UpgradedStream? Stream, bool Compressed, OcppHandshake Handshake, OcppAuthResult Verdict)?> HandshakeAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            Reject(context, null, StatusCodes.Status400BadRequest, "Not a WebSocket upgrade request.");
            return null;
        }

        string rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw
            ? raw
            : context.Request.PathBase.Add(context.Request.Path).ToUriComponent();
        IdentityPath.Problem problem = IdentityPath.TryParse(rawTarget, out string endpointPath, out string identity);
        if (problem != IdentityPath.Problem.None)
        {
            Reject(context, null, StatusCodes.Status400BadRequest, "Invalid identity: " + problem);
            return null;
        }

        // Authentication comes before the subprotocol rule: only an authenticated station learns that the server
        // speaks none of its protocols (OCPP-J: complete the handshake without one, then close).
        IReadOnlyList<string> offered = [.. context.WebSockets.WebSocketRequestedProtocols];
        string? protocol = SubprotocolSelector.Select(offered, Options.Protocols);
        OcppHandshake? handshake;
        OcppAuthResult verdict;

        // Disposed once authentication is done, not held (with its timer) for the connection's whole life.
        using (var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted))
        {
            handshakeTimeout.CancelAfter(Options.HandshakeTimeout);
            (handshake, verdict) = await AuthenticateAsync(context, identity, endpointPath, offered, protocol, handshakeTimeout.Token).ConfigureAwait(false);
        }

        if (handshake is null || !verdict.IsAccepted)
        {
            return null;
        }

        if (verdict.Protocol is { } chosen)
        {
            if (!offered.Contains(chosen, StringComparer.Ordinal))
            {
                Reject(context, identity, StatusCodes.Status500InternalServerError, $"Authenticate chose {chosen}, which the station did not offer.");
                return null;
            }

            protocol = chosen;
        }

        if (protocol is null)
        {
            await RefuseSubprotocolAsync(context, identity).ConfigureAwait(false);
            return null;
        }

        if (protocol == OcppProtocols.Ocpp21 && identity.Contains(':', StringComparison.Ordinal))
        {
            Reject(context, identity, StatusCodes.Status400BadRequest, "OCPP 2.1 forbids ':' in the identity.");
            return null;
        }

        if (!Options.ReplaceDuplicateConnections && Cluster.TryGetLocal(identity, out _))
        {
            Reject(context, identity, StatusCodes.Status409Conflict, "The identity is already connected.");
            return null;
        }

        (WebSocket socket, UpgradedStream? stream, bool compressed) = await AcceptAsync(context, protocol).ConfigureAwait(false);
        return (socket, stream, compressed, handshake, verdict);
    }

    // OCPP-J: with no agreeable subprotocol the server completes the handshake without one and closes at once.
    private async Task RefuseSubprotocolAsync(HttpContext context, string identity)
    {
        OnRejected(identity, StatusCodes.Status101SwitchingProtocols, "No agreeable subprotocol.");
        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext()).ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(Options.Connection.CloseTimeout);
        try
        {
            await socket.CloseAsync((WebSocketCloseStatus)OcppCloseCodes.ProtocolError, "No agreeable subprotocol", timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
            socket.Abort();
        }
    }

    // HTTP/1.1 upgrades are answered by WebSocketUpgrade (no context takeover both ways, close frames on failure);
    // HTTP/2 WebSockets by the middleware, which can at least drop the server's own compression context.
    private async Task<(WebSocket Socket, UpgradedStream? Stream, bool Compressed)> AcceptAsync(HttpContext context, string protocol)
    {
        bool compress = OcppProtocols.GetDialect(protocol) == OcppDialect.Ocpp16 ? Options.EnableCompressionForOcpp16 : Options.EnableCompression;
        if (await WebSocketUpgrade.TryAcceptAsync(context, protocol, compress, Options.CompressionContextTakeover, Options.KeepAliveInterval, Options.KeepAliveTimeout).ConfigureAwait(false) is { } upgraded)
        {
            return upgraded;
        }

        WebSocket socket = await context.WebSockets.AcceptWebSocketAsync(CreateAcceptContext(protocol, compress)).ConfigureAwait(false);
        return (socket, null, compress && context.Response.Headers.SecWebSocketExtensions.Count > 0);
    }

    private WebSocketAcceptContext CreateAcceptContext(string protocol, bool compress)
    {
        var accept = new WebSocketAcceptContext
        {
            SubProtocol = protocol,
            DangerousEnableCompression = compress,
            DisableServerContextTakeover = !Options.CompressionContextTakeover,
            KeepAliveInterval = Options.KeepAliveInterval,
        };
        if (Options.KeepAliveInterval > TimeSpan.Zero)
        {
            accept.KeepAliveTimeout = Options.KeepAliveTimeout;
        }

        return accept;
    }

    private (OcppHandshake?, OcppAuthResult) Refuse(HttpContext context, string identity, int statusCode, string reason)
    {
        Reject(context, identity, statusCode, reason);
        return (null, OcppAuthResult.Reject(statusCode));
    }

    private void Reject(HttpContext context, string? identity, int statusCode, string reason)
    {
        context.Response.StatusCode = statusCode;
        if (statusCode == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"OCPP\", charset=\"UTF-8\"";
        }

        OnRejected(identity, statusCode, reason);
    }

    private void OnRejected(string? identity, int statusCode, string reason)
    {
        ServerLog.HandshakeRejected(_logger, identity, statusCode, reason);
        Raise(HandshakeRejected, new OcppHandshakeRejectedEventArgs(identity, statusCode, reason));
    }
}

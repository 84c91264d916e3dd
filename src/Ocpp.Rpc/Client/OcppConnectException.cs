using System.Net;

namespace Ocpp.Rpc.Client;

/// <summary>Why a connection attempt failed.</summary>
public enum OcppConnectFailure
{
    /// <summary>The server could not be reached or the link broke during the handshake.</summary>
    Network,

    /// <summary>The server answered the upgrade with an HTTP status other than 101 (e.g. 401 bad credentials, 404 unknown identity).</summary>
    Rejected,

    /// <summary>The server completed the handshake without agreeing on any offered subprotocol.</summary>
    NoSubprotocol,

    /// <summary>TLS failed: untrusted or mismatched server certificate, client certificate refused, or no common TLS version.</summary>
    Tls,

    /// <summary>The attempt took longer than <see cref="OcppClientOptions.ConnectTimeout"/>.</summary>
    Timeout,
}

/// <summary>Thrown when an <see cref="OcppClient"/> cannot connect; also passed to <see cref="OcppClientReconnectingEventArgs.LastError"/>.</summary>
public sealed class OcppConnectException : OcppException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="failure">What went wrong.</param>
    /// <param name="uri">The URI the client connected to.</param>
    /// <param name="message">A description.</param>
    /// <param name="statusCode">The HTTP status when the server rejected the handshake.</param>
    /// <param name="innerException">The underlying failure.</param>
    public OcppConnectException(OcppConnectFailure failure, Uri uri, string message, HttpStatusCode? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
        Uri = uri;
        StatusCode = statusCode;
    }

    /// <summary>What went wrong.</summary>
    public OcppConnectFailure Failure { get; }

    /// <summary>The URI the client connected to (with the encoded identity; never contains credentials).</summary>
    public Uri Uri { get; }

    /// <summary>The HTTP status of a rejected handshake (<see cref="OcppConnectFailure.Rejected"/>), otherwise <see langword="null"/>.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>
    /// True for network failures, timeouts, and rejections with 408, 429 or a 5xx status (e.g. 503 at the server's
    /// connection limit); false for TLS failures, no agreeable subprotocol and other rejections (401, 403, 404), which
    /// need a change of configuration.
    /// </summary>
    public override bool IsTransient => Failure switch
    {
        OcppConnectFailure.Network or OcppConnectFailure.Timeout => true,
        OcppConnectFailure.Rejected => StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int?)StatusCode >= 500,
        _ => false,
    };
}

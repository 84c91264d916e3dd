using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace Ocpp.Rpc.AspNetCore;

/// <summary>
/// A station's WebSocket upgrade request as the authentication callback sees it, after the identity rules and the
/// security profile's checks passed, and before the subprotocol rule is applied.
/// </summary>
public sealed class OcppHandshake
{
    private readonly byte[]? _password;

    internal OcppHandshake(HttpContext httpContext, string identity, string endpointPath, IReadOnlyList<string> offeredProtocols, string? protocol, byte[]? password, X509Certificate2? clientCertificate)
    {
        HttpContext = httpContext;
        Identity = identity;
        EndpointPath = endpointPath;
        OfferedProtocols = offeredProtocols;
        Protocol = protocol;
        _password = password;
        ClientCertificate = clientCertificate;
    }

    /// <summary>The station identity, percent-decoded from the last path segment.</summary>
    public string Identity { get; }

    /// <summary>The request path before the identity segment, as sent (e.g. <c>/ocpp</c>); empty at the root.</summary>
    public string EndpointPath { get; }

    /// <summary>The subprotocols the station offered, in its preference order.</summary>
    public IReadOnlyList<string> OfferedProtocols { get; }

    /// <summary>
    /// The subprotocol the server selected: the first offered one it supports. <see langword="null"/> when none can be
    /// agreed: the station is authenticated all the same (an unauthenticated one is refused first), and unless the
    /// callback chooses an offered protocol (<see cref="OcppAuthResult.Protocol"/>), the server then completes the
    /// handshake without a subprotocol and closes, as OCPP-J requires.
    /// </summary>
    public string? Protocol { get; }

    /// <summary>Whether the request carried a Basic-auth password (its username always equals the identity).</summary>
    public bool HasPassword => _password is not null;

    /// <summary>
    /// The Basic-auth password as sent, byte for byte (OCPP 1.6 passwords may be binary); empty when none.
    /// Compare it with <see cref="OcppPasswords"/>.
    /// </summary>
    public ReadOnlyMemory<byte> Password => _password;

    /// <summary>The client certificate presented in the TLS handshake (profile 3), if any.</summary>
    public X509Certificate2? ClientCertificate { get; }

    /// <summary>The remote IP address.</summary>
    public IPAddress? RemoteAddress => HttpContext.Connection.RemoteIpAddress;

    /// <summary>The request headers.</summary>
    public IHeaderDictionary Headers => HttpContext.Request.Headers;

    /// <summary>The query string parameters.</summary>
    public IQueryCollection Query => HttpContext.Request.Query;

    /// <summary>The underlying request, for anything else (services, connection info).</summary>
    public HttpContext HttpContext { get; }

    /// <summary>Whether the password equals <paramref name="expected"/> as UTF-8, in constant time.</summary>
    /// <param name="expected">The configured password.</param>
    public bool PasswordEquals(string expected) => _password is not null && OcppPasswords.EqualsUtf8(_password, expected);

    /// <summary>Whether the password's bytes equal the hex-configured OCPP 1.6 AuthorizationKey, in constant time.</summary>
    /// <param name="expectedHex">Up to 40 hex digits.</param>
    public bool PasswordEqualsHex(string expectedHex) => _password is not null && OcppPasswords.EqualsHex(_password, expectedHex);
}

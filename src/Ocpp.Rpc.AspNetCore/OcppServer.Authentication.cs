using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Ocpp.Rpc.AspNetCore.Internal;

namespace Ocpp.Rpc.AspNetCore;

// The security profile's checks (TLS, Basic credentials, client certificate), then the Authenticate callback.
public sealed partial class OcppServer
{
    private async Task<(OcppHandshake? Handshake, OcppAuthResult Verdict)> AuthenticateAsync(HttpContext context, string identity, string endpointPath, IReadOnlyList<string> offered, string? protocol, CancellationToken cancellationToken)
    {
        OcppSecurityProfile profile = Options.SecurityProfile;
        if (profile >= OcppSecurityProfile.TlsWithBasicAuth && !context.Request.IsHttps)
        {
            return Refuse(context, identity, StatusCodes.Status403Forbidden, $"Security profile {(int)profile} requires TLS.");
        }

        BasicCredentials.Outcome basic = BasicCredentials.TryRead(context.Request.Headers.Authorization, identity, out byte[]? password);
        if (profile is OcppSecurityProfile.BasicAuth or OcppSecurityProfile.TlsWithBasicAuth && basic != BasicCredentials.Outcome.Valid)
        {
            return Refuse(context, identity, StatusCodes.Status401Unauthorized, "Basic authentication " + basic + ".");
        }

        X509Certificate2? certificate = null;
        if (context.Request.IsHttps)
        {
            certificate = await context.Connection.GetClientCertificateAsync(cancellationToken).ConfigureAwait(false);
        }

        if (profile == OcppSecurityProfile.MutualTls)
        {
            if (certificate is null)
            {
                return Refuse(context, identity, StatusCodes.Status403Forbidden, "Security profile 3 requires a client certificate.");
            }

            if (Options.RequireCertificateIdentityMatch && !OcppCertificates.MatchesIdentity(certificate, identity))
            {
                return Refuse(context, identity, StatusCodes.Status403Forbidden, "The client certificate's CN is not the identity.");
            }
        }

        var handshake = new OcppHandshake(context, identity, endpointPath, offered, protocol, password, certificate);
        if (Options.Authenticate is not { } authenticate)
        {
            return (handshake, OcppAuthResult.Accept());
        }

        OcppAuthResult verdict;
        try
        {
            verdict = await authenticate(handshake, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            context.Abort();
            return (null, OcppAuthResult.Reject(StatusCodes.Status503ServiceUnavailable));
        }
#pragma warning disable CA1031 // A failing callback answers 500; it must not take the server down.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ServerLog.AuthenticateFailed(_logger, ex, identity);
            return Refuse(context, identity, StatusCodes.Status500InternalServerError, "The Authenticate callback threw.");
        }

        if (!verdict.IsAccepted)
        {
            Reject(context, identity, verdict.StatusCode, "Refused by the Authenticate callback.");
        }

        return (handshake, verdict);
    }
}

using System.Security.Cryptography.X509Certificates;
using Ocpp.Rpc.AspNetCore;

namespace Ocpp.Rpc.Samples.Csms;

/// <summary>Turns the security options into the server's TLS settings and its handshake check.</summary>
internal static class CsmsSecurity
{
    /// <summary>The path stations connect under: <c>/ocpp/{identity}</c>.</summary>
    public const string EndpointPath = "/ocpp";

    /// <summary>Profiles 2 and 3: the server certificate (PEM pair or PFX) and, for 3, the CAs of station certificates.</summary>
    public static OcppTlsOptions? LoadTls(CsmsOptions options)
    {
        if (options.CertificatePath is not { } certificatePath)
        {
            return null;
        }

        X509Certificate2 certificate = IsPkcs12(certificatePath)
            ? X509CertificateLoader.LoadPkcs12FromFile(certificatePath, options.CertificatePassword)
            : LoadPem(certificatePath, options.KeyPath ?? throw new ArgumentException("A PEM certificate needs --key."));
        X509Certificate2Collection? authorities = null;
        if (options.CaPath is { } caPath)
        {
            authorities = [];
            authorities.ImportFromPemFile(caPath);
        }

        return new OcppTlsOptions { ServerCertificate = certificate, ClientCertificateAuthorities = authorities };
    }

    /// <summary>Profiles 1 and 2: the per-station secrets of <see cref="CsmsOptions.PasswordFile"/>; otherwise none.</summary>
    /// <exception cref="InvalidDataException">A malformed or duplicate line.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static StationCredentials? LoadCredentials(CsmsOptions options) =>
        options.Profile is OcppSecurityProfile.BasicAuth or OcppSecurityProfile.TlsWithBasicAuth
            ? StationCredentials.Load(options.PasswordFile ?? throw new ArgumentException("Profiles 1 and 2 need --password-file."))
            : null;

    /// <summary>
    /// Accepts stations under <see cref="EndpointPath"/> only (others get 404) and, on profiles 1 and 2, only with their
    /// own secret from <paramref name="credentials"/> (others, known or not, get 401). The server has already checked
    /// the profile's transport rules and refused (401) a Basic username other than the identity, so the identity is
    /// the username: one station's secret never lets it in as another.
    /// </summary>
    public static Func<OcppHandshake, CancellationToken, ValueTask<OcppAuthResult>> Authenticator(StationCredentials? credentials) => (handshake, _) =>
    {
        if (!string.Equals(handshake.EndpointPath, EndpointPath, StringComparison.OrdinalIgnoreCase))
        {
            return ValueTask.FromResult(OcppAuthResult.UnknownIdentity());
        }

        bool accepted = credentials is null || credentials.Verify(handshake.Identity, handshake.Password.Span);
        return ValueTask.FromResult(accepted ? OcppAuthResult.Accept() : OcppAuthResult.Reject(401));
    };

    private static bool IsPkcs12(string path) =>
        path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);

    private static X509Certificate2 LoadPem(string certificatePath, string keyPath)
    {
        // Round-trip through PKCS#12 so the key is usable by SslStream on every platform (Windows needs a persisted key).
        using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}

using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Ocpp.Rpc.AspNetCore;

/// <summary>TLS settings for security profiles 2 and 3. Immutable: derive variants with <c>with</c>.</summary>
public sealed record OcppTlsOptions
{
    /// <summary>The server certificate (with its private key), RSA or ECDSA.</summary>
    public X509Certificate2? ServerCertificate { get; init; }

    /// <summary>
    /// Chooses a certificate per TLS handshake from the SNI host name (may be <see langword="null"/>), e.g. to serve
    /// an RSA and an ECDSA certificate under different names (.NET presents one certificate per handshake, so
    /// offering both to the same name needs two endpoints). Takes precedence over <see cref="ServerCertificate"/>.
    /// </summary>
    public Func<string?, X509Certificate2?>? ServerCertificateSelector { get; init; }

    /// <summary>
    /// The TLS versions accepted. Default TLS 1.2 and 1.3. Add TLS 1.0/1.1 only for legacy OCPP 1.6 stations,
    /// and only if the platform still offers them.
    /// </summary>
    public SslProtocols SslProtocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>
    /// The TLS 1.2/1.3 cipher suites offered, e.g. only the AES-GCM suites OCPP recommends; <see langword="null"/>
    /// keeps the platform's defaults. While TLS 1.3 is enabled, list TLS 1.3 suites too (with OpenSSL, a list of
    /// TLS 1.2 suites only made handshakes fail). Ignored on Windows, where the OS policy decides.
    /// </summary>
    public IReadOnlyList<TlsCipherSuite>? CipherSuites { get; init; }

    /// <summary>
    /// Profile 3: the certification authorities a station certificate must chain to (custom trust, the system
    /// store is not used). <see langword="null"/> uses the system trust store unless <see cref="ClientCertificateValidation"/> is set.
    /// </summary>
    public X509Certificate2Collection? ClientCertificateAuthorities { get; init; }

    /// <summary>Profile 3: whether revocation of station certificates is checked online. Default <see cref="X509RevocationMode.NoCheck"/>.</summary>
    public X509RevocationMode ClientCertificateRevocationMode { get; init; } = X509RevocationMode.NoCheck;

    /// <summary>Profile 3: a validation callback that replaces the built-in chain check entirely.</summary>
    public Func<X509Certificate2, X509Chain?, SslPolicyErrors, bool>? ClientCertificateValidation { get; init; }

    /// <summary>
    /// Applies these settings to a Kestrel HTTPS endpoint, for hosts that configure Kestrel themselves
    /// (e.g. <c>listen.UseHttps(h =&gt; tls.ApplyTo(h, profile, timeout))</c> before <c>app.MapOcpp</c>).
    /// </summary>
    /// <param name="https">Kestrel's HTTPS options to fill.</param>
    /// <param name="profile">The security profile; <see cref="OcppSecurityProfile.MutualTls"/> requires client certificates.</param>
    /// <param name="handshakeTimeout">The TLS handshake limit, or <see langword="null"/> to keep Kestrel's.</param>
    public void ApplyTo(HttpsConnectionAdapterOptions https, OcppSecurityProfile profile, TimeSpan? handshakeTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(https);
        if (ServerCertificateSelector is { } selector)
        {
            https.ServerCertificateSelector = (_, name) => selector(name);
        }
        else
        {
            https.ServerCertificate = ServerCertificate ?? throw new InvalidOperationException("TLS needs a ServerCertificate or a ServerCertificateSelector.");
        }

        https.SslProtocols = SslProtocols;
        https.CheckCertificateRevocation = ClientCertificateRevocationMode != X509RevocationMode.NoCheck;
        if (CipherSuites is { Count: > 0 } suites && !OperatingSystem.IsWindows())
        {
            var policy = new CipherSuitesPolicy(suites);
            https.OnAuthenticate = (_, ssl) => ssl.CipherSuitesPolicy = policy;
        }

        if (handshakeTimeout is { } timeout)
        {
            https.HandshakeTimeout = timeout;
        }

        if (profile == OcppSecurityProfile.MutualTls)
        {
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = ValidateClientCertificate;
        }
    }

    /// <summary>Checks a station certificate the way <see cref="ApplyTo"/> configures Kestrel to.</summary>
    /// <param name="certificate">The station certificate.</param>
    /// <param name="chain">The chain built by the platform, if any.</param>
    /// <param name="errors">The platform's verdict.</param>
    /// <returns>Whether the certificate is accepted.</returns>
    public bool ValidateClientCertificate(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (ClientCertificateValidation is { } custom)
        {
            return custom(certificate, chain, errors);
        }

        if (ClientCertificateAuthorities is not { Count: > 0 } authorities)
        {
            return errors == SslPolicyErrors.None;
        }

        using var own = new X509Chain();
        own.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        own.ChainPolicy.CustomTrustStore.AddRange(authorities);
        own.ChainPolicy.RevocationMode = ClientCertificateRevocationMode;
        own.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        return own.Build(certificate);
    }
}

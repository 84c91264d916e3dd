using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Ocpp.Rpc.Client;

/// <summary>
/// TLS settings for <c>wss://</c> endpoints (OCPP security profiles 2 and 3). Immutable: derive variants with <c>with</c>.
/// </summary>
public sealed record OcppClientTlsOptions
{
    /// <summary>The defaults: the system trust store, no client certificate, the system's TLS versions.</summary>
    public static OcppClientTlsOptions Default { get; } = new();

    /// <summary>
    /// When set, the server certificate must chain to one of these roots and the system trust store is ignored (the
    /// CSMS root a station is provisioned with). The host name is still checked. Default: the system trust store.
    /// </summary>
    public X509Certificate2Collection? TrustedRootCertificates { get; init; }

    /// <summary>
    /// Replaces certificate validation entirely (takes precedence over <see cref="TrustedRootCertificates"/>).
    /// Return true to accept the server certificate.
    /// </summary>
    public RemoteCertificateValidationCallback? RemoteCertificateValidation { get; init; }

    /// <summary>The station certificate presented to the CSMS (security profile 3); it must carry its private key.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>
    /// The TLS versions allowed. Default <see cref="SslProtocols.None"/>: the operating system's choice (TLS 1.2 and
    /// later on current systems). OCPP requires TLS 1.2 or later except for legacy 1.6 stations.
    /// </summary>
    public SslProtocols EnabledSslProtocols { get; init; } = SslProtocols.None;

    /// <summary>Whether and how the server certificate's revocation status is checked. Default <see cref="X509RevocationMode.NoCheck"/>.</summary>
    public X509RevocationMode RevocationMode { get; init; } = X509RevocationMode.NoCheck;
}

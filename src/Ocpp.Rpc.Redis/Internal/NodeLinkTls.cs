using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ocpp.Rpc.Redis.Internal;

/// <summary>
/// TLS for node links without a PKI: each node makes a self-signed ECDSA P-256 certificate when it starts, dialing
/// nodes accept any certificate, and the handshake's HMAC proofs cover the SHA-256 of the certificate the dialer saw
/// (the server's own on the other side). A machine in the middle that terminates TLS with its own certificate makes
/// the two sides prove different inputs, so it is refused even if it relays every byte; without the shared key it can
/// neither read nor inject.
/// </summary>
internal sealed class NodeLinkTls : IDisposable
{
    /// <summary>The name in the certificate and the SNI the dialer sends; identity is proven by the HMAC, not by names.</summary>
    private const string HostName = "ocpp-node-link";

    private readonly X509Certificate2 _certificate;
    private readonly SslStreamCertificateContext _context;

    private NodeLinkTls(X509Certificate2 certificate)
    {
        _certificate = certificate;
        _context = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
        CertificateHash = SHA256.HashData(certificate.RawData);
    }

    /// <summary>SHA-256 of this node's certificate: the server side's channel binding.</summary>
    public byte[] CertificateHash { get; }

    /// <summary>Makes this node's certificate (valid from a day ago, to allow for clock skew, for ten years).</summary>
    public static NodeLinkTls Create(string nodeId)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={HostName}, OU={Sanitize(nodeId)}", key, HashAlgorithmName.SHA256);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 ephemeral = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));

        // Exported and loaded again so the key is usable by SslStream on every platform.
        return new NodeLinkTls(X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null));
    }

    /// <summary>Accepts TLS on an accepted connection.</summary>
    public async Task<SslStream> AuthenticateAsServerAsync(Stream transport, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(transport, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = _context,
                    ClientCertificateRequired = false,
                    EnabledSslProtocols = SslProtocols.Tls13 | SslProtocols.Tls12,
                },
                cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Opens TLS to a peer node; returns the stream and the SHA-256 of the certificate the peer presented.</summary>
    public static async Task<(SslStream Stream, byte[] PeerCertificateHash)> AuthenticateAsClientAsync(Stream transport, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(transport, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = HostName,
                    EnabledSslProtocols = SslProtocols.Tls13 | SslProtocols.Tls12,

                    // Any certificate: the handshake's proofs cover its hash, which is what authenticates the peer.
                    RemoteCertificateValidationCallback = static (_, _, _, _) => true,
                },
                cancellationToken).ConfigureAwait(false);
            byte[] hash = ssl.RemoteCertificate is { } certificate ? SHA256.HashData(certificate.GetRawCertData()) : [];
            return (ssl, hash);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public void Dispose() => _certificate.Dispose();

    private static string Sanitize(string nodeId)
    {
        // Distinguished-name special characters would need escaping; the OU is only informative.
        char[] chars = nodeId.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_').Take(64).ToArray();
        return chars.Length == 0 ? "node" : new string(chars);
    }
}

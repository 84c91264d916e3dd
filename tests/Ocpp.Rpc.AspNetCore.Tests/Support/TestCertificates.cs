using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ocpp.Rpc.AspNetCore.Tests.Support;

/// <summary>Certificates generated in the test run: a test CA, RSA and ECDSA server certificates, station certificates.</summary>
internal static class TestCertificates
{
    private static readonly Lazy<X509Certificate2> LazyCa = new(() => CreateCa("CN=Ocpp.Rpc Test CA"));
    private static readonly Lazy<X509Certificate2> LazyWrongCa = new(() => CreateCa("CN=Some Other CA"));
    private static readonly Lazy<X509Certificate2> LazyRsaServer = new(() => CreateServer(ecdsa: false));
    private static readonly Lazy<X509Certificate2> LazyEcdsaServer = new(() => CreateServer(ecdsa: true));

    public static X509Certificate2 Ca => LazyCa.Value;

    public static X509Certificate2 WrongCa => LazyWrongCa.Value;

    public static X509Certificate2 RsaServer => LazyRsaServer.Value;

    public static X509Certificate2 EcdsaServer => LazyEcdsaServer.Value;

    /// <summary>A station certificate with the given CN, signed by <paramref name="issuer"/> (default: the test CA).</summary>
    public static X509Certificate2 Station(string commonName, X509Certificate2? issuer = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=Test Stations", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        return Sign(request, issuer ?? Ca, key);
    }

    /// <summary>Checks a server certificate against the test CA only (custom root trust) and the host name.</summary>
    public static bool ValidateServer(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var own = new X509Chain();
        own.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        own.ChainPolicy.CustomTrustStore.Add(Ca);
        own.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return own.Build(new X509Certificate2(certificate));
    }

    public static OcppTlsOptions ServerTls(X509Certificate2? serverCertificate = null) => new()
    {
        ServerCertificate = serverCertificate ?? RsaServer,
        ClientCertificateAuthorities = [Ca],
    };

    private static X509Certificate2 CreateCa(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    /// <summary>A server certificate for localhost and 127.0.0.1 issued by <see cref="Ca"/> with its own subject.</summary>
    public static X509Certificate2 Server(string commonName)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        AddServerExtensions(request, san);
        return Sign(request, Ca, key);
    }

    private static X509Certificate2 CreateServer(bool ecdsa)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        if (ecdsa)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
            AddServerExtensions(request, san);
            return Sign(request, Ca, key);
        }
        else
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            AddServerExtensions(request, san);
            return Sign(request, Ca, key);
        }
    }

    private static void AddServerExtensions(CertificateRequest request, SubjectAlternativeNameBuilder san)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(san.Build());
    }

    private static X509Certificate2 Sign(CertificateRequest request, X509Certificate2 issuer, AsymmetricAlgorithm key)
    {
        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using RSA issuerKey = issuer.GetRSAPrivateKey()!;
        X509SignatureGenerator generator = X509SignatureGenerator.CreateForRSA(issuerKey, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using X509Certificate2 signed = request.Create(issuer.SubjectName, generator, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), serial);
        X509Certificate2 withKey = key switch
        {
            RSA rsa => signed.CopyWithPrivateKey(rsa),
            ECDsa ec => signed.CopyWithPrivateKey(ec),
            _ => throw new NotSupportedException(),
        };

        // Round-trip through PFX so the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
    }
}

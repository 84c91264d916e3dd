using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Ocpp.Rpc.LoadTool;

/// <summary>
/// Writes self-signed server certificates for the TLS benchmarks as PEM files (readable by .NET and Node alike):
/// <c>rsa.crt</c>/<c>rsa.key</c> (RSA 2048, SHA-256) and <c>ecdsa.crt</c>/<c>ecdsa.key</c> (ECDSA P-256, SHA-256), for
/// <c>localhost</c> and 127.0.0.1, valid for a day.
/// </summary>
internal static class TlsCertCommand
{
    public static int Run(Args args)
    {
        string folder = args.Required("out");
        Directory.CreateDirectory(folder);
        using (RSA rsa = RSA.Create(2048))
        {
            Write(folder, "rsa", new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), rsa.ExportPkcs8PrivateKeyPem());
        }

        using (ECDsa ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            Write(folder, "ecdsa", new CertificateRequest("CN=localhost", ecdsa, HashAlgorithmName.SHA256), ecdsa.ExportPkcs8PrivateKeyPem());
        }

        Console.WriteLine(JsonSerializer.Serialize(new { certificates = folder }));
        return 0;
    }

    private static void Write(string folder, string name, CertificateRequest request, string keyPem)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(folder, name + ".crt"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, name + ".key"), keyPem);
    }
}

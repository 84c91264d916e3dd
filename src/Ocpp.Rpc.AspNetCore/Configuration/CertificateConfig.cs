using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ocpp.Rpc.AspNetCore.Configuration;

// The server certificate from configuration, with the keys of Kestrel's Certificates section: a file (Path, with
// Password for a PKCS#12 file or KeyPath for a PEM key) or the certificate store (Subject, Store, Location, AllowInvalid).
internal static class CertificateConfig
{
    public static X509Certificate2? Load(ConfigReader read, string? baseDirectory)
    {
        string? path = Resolve(read.Section("Path").Value, baseDirectory);
        string? keyPath = Resolve(read.Section("KeyPath").Value, baseDirectory);
        string? password = read.Section("Password").Value;
        string? subject = read.Section("Subject").Value;
        string store = read.Section("Store").Value ?? "My";
        StoreLocation location = read.Enum("Location", StoreLocation.CurrentUser);
        bool allowInvalid = read.Bool("AllowInvalid", false);
        read.ReportUnknownKeys();

        if (path is not null && subject is not null)
        {
            read.Errors.Add($"{read.Path} has both Path and Subject: use a file or the certificate store, not both.");
            return null;
        }

        try
        {
            if (path is not null)
            {
                foreach (string? file in (string?[])[path, keyPath])
                {
                    if (file is not null && !File.Exists(file))
                    {
                        return Missing(read, $"the certificate could not be loaded: no file {file}");
                    }
                }

                return FromFile(path, keyPath, password);
            }

            if (subject is not null)
            {
                return FromStore(subject, store, location, allowInvalid) ?? Missing(read, $"no certificate with a private key for subject '{subject}' in {location}/{store}{(allowInvalid ? string.Empty : " (valid ones only; AllowInvalid: true to accept others)")}");
            }
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return Missing(read, $"the certificate could not be loaded: {ex.Message}");
        }

        return Missing(read, "set Path (a .pfx/.p12 file, or a PEM certificate with KeyPath) or Subject (the certificate store)");
    }

    public static X509Certificate2Collection LoadAuthorities(IReadOnlyList<string> files, string key, List<string> errors, string? baseDirectory)
    {
        var authorities = new X509Certificate2Collection();
        foreach (string file in files)
        {
            try
            {
                authorities.ImportFromPemFile(Resolve(file, baseDirectory)!);
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
            {
                errors.Add($"{key}: '{file}' could not be read as PEM certificates: {ex.Message}");
            }
        }

        return authorities;
    }

    private static string? Resolve(string? path, string? baseDirectory) =>
        path is null || baseDirectory is null || Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path);

    private static X509Certificate2? Missing(ConfigReader read, string why)
    {
        read.Errors.Add($"{read.Path}: {why}.");
        return null;
    }

    private static X509Certificate2 FromFile(string path, string? keyPath, string? password)
    {
        string extension = Path.GetExtension(path);
        if (keyPath is null && (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase)))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }

        X509Certificate2 pem = password is null
            ? X509Certificate2.CreateFromPemFile(path, keyPath)
            : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
        if (!OperatingSystem.IsWindows())
        {
            return pem;
        }

        // SChannel cannot use the ephemeral key of a PEM-loaded certificate: round-trip it through PKCS#12, as Kestrel does.
        using (pem)
        {
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
    }

    private static X509Certificate2? FromStore(string subject, string storeName, StoreLocation location, bool allowInvalid)
    {
        using var store = new X509Store(storeName, location);
        store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        X509Certificate2Collection found = store.Certificates.Find(X509FindType.FindBySubjectName, subject, validOnly: !allowInvalid);
        X509Certificate2? best = found.Where(c => c.HasPrivateKey).OrderByDescending(c => c.NotAfter).FirstOrDefault();
        foreach (X509Certificate2 other in found)
        {
            if (!ReferenceEquals(other, best))
            {
                other.Dispose();
            }
        }

        return best;
    }
}

using System.Security.Cryptography.X509Certificates;

namespace Ocpp.Rpc.AspNetCore;

/// <summary>Certificate checks for security profile 3.</summary>
public static class OcppCertificates
{
    private const string CommonNameOid = "2.5.4.3";

    /// <summary>
    /// Whether the certificate's subject has exactly one common name (CN) and it equals the station identity
    /// (ordinal comparison). OCPP puts the station's serial number / identity in the CN.
    /// </summary>
    /// <param name="certificate">The station's client certificate.</param>
    /// <param name="identity">The identity from the connection URL.</param>
    public static bool MatchesIdentity(X509Certificate2 certificate, string identity)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(identity);
        string? commonName = null;
        foreach (X500RelativeDistinguishedName rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements || rdn.GetSingleElementType().Value != CommonNameOid)
            {
                continue;
            }

            if (commonName is not null)
            {
                return false;
            }

            commonName = rdn.GetSingleElementValue();
        }

        return commonName is not null && string.Equals(commonName, identity, StringComparison.Ordinal);
    }
}

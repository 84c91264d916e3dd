using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;

namespace Ocpp.Rpc.AspNetCore.Configuration;

// Binds the plain settings of OcppServerOptions from a configuration section (appsettings.json "Ocpp": { ... }) by hand:
// no reflection (the package is AOT-compatible), lists replace the defaults instead of being appended to, nothing
// shared is mutated (every step makes a new record with `with`), and every bad or unknown key is reported by its path.
internal static class OcppServerOptionsBinder
{
    // Relative file paths (certificates) resolve against baseDirectory (the content root, as Kestrel does).
    public static OcppServerOptions Bind(IConfiguration section, OcppServerOptions current, List<string> errors, string? baseDirectory = null)
    {
        string path = section is IConfigurationSection s ? s.Path : string.Empty;
        var read = new ConfigReader(section, path, errors);
        OcppServerOptions options = current with
        {
            Protocols = read.List("Protocols") ?? current.Protocols,
            SecurityProfile = read.Enum("SecurityProfile", current.SecurityProfile),
            RequireCertificateIdentityMatch = read.Bool("RequireCertificateIdentityMatch", current.RequireCertificateIdentityMatch),
            HandshakeTimeout = read.Time("HandshakeTimeout", current.HandshakeTimeout),
            MaxConnections = read.Int("MaxConnections", current.MaxConnections),
            ReplaceDuplicateConnections = read.Bool("ReplaceDuplicateConnections", current.ReplaceDuplicateConnections),
            KeepAliveInterval = read.Time("KeepAliveInterval", current.KeepAliveInterval),
            KeepAliveTimeout = read.Time("KeepAliveTimeout", current.KeepAliveTimeout),
            EnableCompression = read.Bool("EnableCompression", current.EnableCompression),
            CompressionContextTakeover = read.Bool("CompressionContextTakeover", current.CompressionContextTakeover),
            EnableCompressionForOcpp16 = read.Bool("EnableCompressionForOcpp16", current.EnableCompressionForOcpp16),
            IncompleteMessageTimeout = read.Time("IncompleteMessageTimeout", current.IncompleteMessageTimeout),
            IncompleteMessageBudget = read.Long("IncompleteMessageBudget", current.IncompleteMessageBudget),
            MaxInflatedBytesPerSecond = read.Long("MaxInflatedBytesPerSecond", current.MaxInflatedBytesPerSecond),
            ShutdownTimeout = read.Time("ShutdownTimeout", current.ShutdownTimeout),
            PreferInlineScheduling = read.Bool("PreferInlineScheduling", current.PreferInlineScheduling),
            Connection = BindConnection(read.Child("Connection"), current.Connection),
            Tls = read.Has("Tls") ? BindTls(read.Child("Tls"), current.Tls ?? new OcppTlsOptions(), baseDirectory) : current.Tls,
        };
        read.ReportUnknownKeys();
        return options;
    }

    private static OcppConnectionOptions BindConnection(ConfigReader read, OcppConnectionOptions current)
    {
        OcppConnectionOptions options = current with
        {
            CallTimeout = read.Time("CallTimeout", current.CallTimeout),
            CallConcurrency = read.Int("CallConcurrency", current.CallConcurrency),
            MaxQueuedCalls = read.Int("MaxQueuedCalls", current.MaxQueuedCalls),
            MaxConcurrentHandlers = read.Int("MaxConcurrentHandlers", current.MaxConcurrentHandlers),
            MaxBadMessages = read.NullableInt("MaxBadMessages", current.MaxBadMessages),
            MaxBadMessagesPerMinute = read.NullableInt("MaxBadMessagesPerMinute", current.MaxBadMessagesPerMinute),
            MaxPeerWarningsPerMinute = read.NullableInt("MaxPeerWarningsPerMinute", current.MaxPeerWarningsPerMinute),
            MaxMessageSize = read.Int("MaxMessageSize", current.MaxMessageSize),
            DetailedErrors = read.Bool("DetailedErrors", current.DetailedErrors),
            SendTimeout = read.Time("SendTimeout", current.SendTimeout),
            MaxPendingSendBytes = read.Int("MaxPendingSendBytes", current.MaxPendingSendBytes),
            CloseTimeout = read.Time("CloseTimeout", current.CloseTimeout),
        };
        read.ReportUnknownKeys();
        return options;
    }

    private static OcppTlsOptions BindTls(ConfigReader read, OcppTlsOptions current, string? baseDirectory)
    {
        OcppTlsOptions options = current with
        {
            ServerCertificate = read.Has("Certificate") ? CertificateConfig.Load(read.Child("Certificate"), baseDirectory) ?? current.ServerCertificate : current.ServerCertificate,
            SslProtocols = SslProtocolsFrom(read, current.SslProtocols),
            CipherSuites = CipherSuitesFrom(read, current.CipherSuites),
            ClientCertificateAuthorities = read.List("ClientCertificateAuthorities") is { } files ? CertificateConfig.LoadAuthorities(files, read.Key("ClientCertificateAuthorities"), read.Errors, baseDirectory) : current.ClientCertificateAuthorities,
            ClientCertificateRevocationMode = read.Enum("ClientCertificateRevocationMode", current.ClientCertificateRevocationMode),
        };
        read.ReportUnknownKeys();
        return options;
    }

    private static SslProtocols SslProtocolsFrom(ConfigReader read, SslProtocols current)
    {
        if (read.List("SslProtocols") is not { } names)
        {
            return current;
        }

        SslProtocols protocols = SslProtocols.None;
        foreach (string name in names)
        {
            if (name is "Tls12" or "Tls13" or "Tls" or "Tls11" && Enum.TryParse(name, out SslProtocols one))
            {
                protocols |= one;
            }
            else
            {
                read.Errors.Add($"{read.Key("SslProtocols")} may list Tls12, Tls13 (and Tls, Tls11 for legacy 1.6 stations) (has '{name}').");
            }
        }

        return protocols;
    }

    private static IReadOnlyList<TlsCipherSuite>? CipherSuitesFrom(ConfigReader read, IReadOnlyList<TlsCipherSuite>? current)
    {
        if (read.List("CipherSuites") is not { } names)
        {
            return current;
        }

        var suites = new List<TlsCipherSuite>();
        foreach (string name in names)
        {
            if (Enum.TryParse(name, out TlsCipherSuite suite) && Enum.IsDefined(suite))
            {
                suites.Add(suite);
            }
            else
            {
                read.Errors.Add($"{read.Key("CipherSuites")} has '{name}', which is not a TlsCipherSuite name (e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256).");
            }
        }

        return suites;
    }
}

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
            BootGating = BindPolicy(read, "BootGating", current.BootGating, OcppBootGatingOptions.Default, BindBootGating),
            CallRateLimit = BindPolicy(read, "CallRateLimit", current.CallRateLimit, OcppCallRateLimitOptions.Default, BindCallRateLimit),
            HandshakeRateLimit = BindPolicy(read, "HandshakeRateLimit", current.HandshakeRateLimit, OcppHandshakeRateLimitOptions.Default, BindHandshakeRateLimit),
            MessageLog = BindPolicy(read, "MessageLog", current.MessageLog, OcppMessageLogOptions.Default, (r, o) => BindMessageLog(r, o, baseDirectory)),
            DuplicateCalls = BindPolicy(read, "DuplicateCalls", current.DuplicateCalls, OcppDuplicateCallOptions.Default, BindDuplicateCalls),
        };
        read.ReportUnknownKeys();
        return options;
    }

    // A policy section turns the policy on (from its current settings, or the defaults): "Key": { ...settings... }, with
    // "Enabled": false to turn it off again (handy in an environment override), or just "Key": true / false.
    private static T? BindPolicy<T>(ConfigReader read, string key, T? current, T defaults, Func<ConfigReader, T, T> bind)
        where T : class
    {
        if (!read.Has(key))
        {
            return current;
        }

        if (read.Section(key).Value is not null)
        {
            return read.Bool(key, current is not null) ? current ?? defaults : null;
        }

        ConfigReader child = read.Child(key);
        bool enabled = child.Bool("Enabled", true);
        T bound = bind(child, current ?? defaults);
        child.ReportUnknownKeys();
        return enabled ? bound : null;
    }

    private static OcppBootGatingOptions BindBootGating(ConfigReader read, OcppBootGatingOptions current) => current with
    {
        PendingActions = read.List("PendingActions") ?? current.PendingActions,
        AnswerRejectedStations = read.Bool("AnswerRejectedStations", current.AnswerRejectedStations),
    };

    private static OcppCallRateLimitOptions BindCallRateLimit(ConfigReader read, OcppCallRateLimitOptions current) => current with
    {
        PermitsPerPeriod = read.Int("PermitsPerPeriod", current.PermitsPerPeriod),
        Period = read.Time("Period", current.Period),
        Burst = read.Int("Burst", current.Burst),
        WhenExceeded = read.Enum("WhenExceeded", current.WhenExceeded),
        ErrorCode = read.Enum("ErrorCode", current.ErrorCode),
    };

    // "Actions": ["*"] remembers every action (Actions = null).
    private static OcppDuplicateCallOptions BindDuplicateCalls(ConfigReader read, OcppDuplicateCallOptions current) => current with
    {
        MaxEntriesPerStation = read.Int("MaxEntriesPerStation", current.MaxEntriesPerStation),
        TimeToLive = read.Time("TimeToLive", current.TimeToLive),
        ClaimTimeout = read.Time("ClaimTimeout", current.ClaimTimeout),
        Actions = read.List("Actions") is { } actions
            ? actions is ["*"] ? null : new HashSet<string>(actions, StringComparer.Ordinal)
            : current.Actions,
    };

    private static OcppHandshakeRateLimitOptions BindHandshakeRateLimit(ConfigReader read, OcppHandshakeRateLimitOptions current) => current with
    {
        PermitsPerPeriod = read.Int("PermitsPerPeriod", current.PermitsPerPeriod),
        Period = read.Time("Period", current.Period),
        Burst = read.Int("Burst", current.Burst),
    };

    // A relative FilePath resolves against the content root, as certificate paths do.
    private static OcppMessageLogOptions BindMessageLog(ConfigReader read, OcppMessageLogOptions current, string? baseDirectory)
    {
        string? path = read.Section("FilePath").Value?.Trim();
        if (path is { Length: > 0 } && baseDirectory is not null && !Path.IsPathRooted(path))
        {
            path = Path.Combine(baseDirectory, path);
        }

        return current with
        {
            Category = read.Section("Category").Value?.Trim() ?? current.Category,
            Level = read.Enum("Level", current.Level),
            MaxMessageLength = read.Int("MaxMessageLength", current.MaxMessageLength),
            Redact = read.List("Redact") is { } names ? RedactionsFrom(read, names) : current.Redact,
            FilePath = path is null ? current.FilePath : path.Length == 0 ? null : path,
            MaxFileSize = read.Long("MaxFileSize", current.MaxFileSize),
            MaxRotatedFiles = read.Int("MaxRotatedFiles", current.MaxRotatedFiles),
            FileQueueLength = read.Int("FileQueueLength", current.FileQueueLength),
        };
    }

    private static OcppRedactions RedactionsFrom(ConfigReader read, IReadOnlyList<string> names)
    {
        OcppRedactions redactions = OcppRedactions.None;
        foreach (string name in names)
        {
            if (Enum.TryParse(name, ignoreCase: true, out OcppRedactions one) && Enum.IsDefined(one))
            {
                redactions |= one;
            }
            else
            {
                read.Errors.Add($"{read.Key("Redact")} may list None, Passwords, IdTokens, Certificates, All (has '{name}').");
            }
        }

        return redactions;
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

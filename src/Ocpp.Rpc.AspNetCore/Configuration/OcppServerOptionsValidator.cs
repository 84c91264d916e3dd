namespace Ocpp.Rpc.AspNetCore.Configuration;

// Every rule on OcppServerOptions (and its Connection options) in one place, each failure naming its key and the
// allowed range. Used by the OcppServer constructor and, with the configuration section's path, at host start.
internal static class OcppServerOptionsValidator
{
    public static List<string> Validate(OcppServerOptions options, string prefix) => Validate(options, prefix, out _);

    // outOfRange: every failure is a value outside its range (the constructor then throws ArgumentOutOfRangeException).
    public static List<string> Validate(OcppServerOptions options, string prefix, out bool outOfRange)
    {
        var failures = new List<string>();
        int ranges = 0;
        void Fail(string key, string rule, object? value)
        {
            failures.Add($"{prefix}{key} {rule} (is {Show(value)}).");
            ranges++;
        }

        if (options.Protocols is null || options.Protocols.Count == 0)
        {
            failures.Add($"{prefix}Protocols must list at least one subprotocol, e.g. {OcppProtocols.Ocpp201}.");
        }
        else
        {
            for (int i = 0; i < options.Protocols.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(options.Protocols[i]))
                {
                    failures.Add($"{prefix}Protocols:{i} must be a subprotocol name such as {OcppProtocols.Ocpp16}.");
                }
            }
        }

        if (!Enum.IsDefined(options.SecurityProfile))
        {
            Fail("SecurityProfile", "must be 0-3 (None, BasicAuth, TlsWithBasicAuth, MutualTls)", (int)options.SecurityProfile);
        }
        else if (options.SecurityProfile is OcppSecurityProfile.BasicAuth or OcppSecurityProfile.TlsWithBasicAuth && options.Authenticate is null)
        {
            failures.Add($"{prefix}SecurityProfile {(int)options.SecurityProfile} checks passwords: set OcppServerOptions.Authenticate (in code, e.g. AddOcppServer(...).Configure(o => o with {{ Authenticate = ... }})).");
        }

        if (options.HandshakeTimeout <= TimeSpan.Zero)
        {
            Fail("HandshakeTimeout", "must be positive", options.HandshakeTimeout);
        }

        if (options.MaxConnections < 1)
        {
            Fail("MaxConnections", "must be at least 1", options.MaxConnections);
        }

        if (options.KeepAliveInterval < TimeSpan.Zero)
        {
            Fail("KeepAliveInterval", "must be zero (no pings) or positive", options.KeepAliveInterval);
        }

        if (options.KeepAliveTimeout <= TimeSpan.Zero && options.KeepAliveTimeout != Timeout.InfiniteTimeSpan)
        {
            Fail("KeepAliveTimeout", "must be positive or Infinite", options.KeepAliveTimeout);
        }

        if (options.IncompleteMessageTimeout <= TimeSpan.Zero)
        {
            Fail("IncompleteMessageTimeout", "must be positive", options.IncompleteMessageTimeout);
        }

        if (options.MaxInflatedBytesPerSecond < 0)
        {
            Fail("MaxInflatedBytesPerSecond", "must be 0 (no limit) or positive", options.MaxInflatedBytesPerSecond);
        }

        if (options.ShutdownTimeout < TimeSpan.Zero)
        {
            Fail("ShutdownTimeout", "must be zero or positive", options.ShutdownTimeout);
        }

        ValidatePolicies(options, prefix, Fail, failures);

        if (options.Connection is not { } connection)
        {
            failures.Add($"{prefix}Connection must be set.");
            outOfRange = false;
            return failures;
        }

        if (options.IncompleteMessageBudget < connection.MaxMessageSize)
        {
            Fail("IncompleteMessageBudget", $"must be at least Connection:MaxMessageSize ({connection.MaxMessageSize})", options.IncompleteMessageBudget);
        }

        int before = failures.Count;
        ValidateConnection(connection, prefix + "Connection" + (prefix.EndsWith('.') ? "." : ":"), failures);
        outOfRange = failures.Count > 0 && ranges + (failures.Count - before) == failures.Count;
        return failures;
    }

    private static void ValidatePolicies(OcppServerOptions options, string prefix, Action<string, string, object?> fail, List<string> failures)
    {
        string sep = prefix.EndsWith('.') ? "." : ":";
        if (options.BootGating is { PendingActions: { } pending })
        {
            for (int i = 0; i < pending.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(pending[i]))
                {
                    failures.Add($"{prefix}BootGating{sep}PendingActions{sep}{i} must be an action name such as Heartbeat.");
                }
            }
        }

        if (options.CallRateLimit is { } calls)
        {
            ValidateBucket("CallRateLimit" + sep, calls.PermitsPerPeriod, calls.Period, calls.Burst, fail);
            if (!Enum.IsDefined(calls.WhenExceeded))
            {
                fail("CallRateLimit" + sep + "WhenExceeded", "must be Wait or Reject", calls.WhenExceeded);
            }

            if (!Enum.IsDefined(calls.ErrorCode) || calls.ErrorCode == OcppErrorCode.Unknown)
            {
                fail("CallRateLimit" + sep + "ErrorCode", "must be an OCPP error code such as GenericError", calls.ErrorCode);
            }
        }

        if (options.HandshakeRateLimit is { } handshakes)
        {
            ValidateBucket("HandshakeRateLimit" + sep, handshakes.PermitsPerPeriod, handshakes.Period, handshakes.Burst, fail);
        }

        if (options.MessageLog is { } log)
        {
            failures.AddRange(ValidateMessageLog(log, prefix + "MessageLog" + sep));
        }

        if (options.DuplicateCalls is { } duplicates)
        {
            string key = "DuplicateCalls" + sep;
            if (duplicates.MaxEntriesPerStation < 1)
            {
                fail(key + "MaxEntriesPerStation", "must be at least 1", duplicates.MaxEntriesPerStation);
            }

            if (duplicates.TimeToLive <= TimeSpan.Zero)
            {
                fail(key + "TimeToLive", "must be positive", duplicates.TimeToLive);
            }

            if (duplicates.ClaimTimeout <= TimeSpan.Zero)
            {
                fail(key + "ClaimTimeout", "must be positive", duplicates.ClaimTimeout);
            }
        }
    }

    private static void ValidateBucket(string key, int permits, TimeSpan period, int burst, Action<string, string, object?> fail)
    {
        if (permits < 1)
        {
            fail(key + "PermitsPerPeriod", "must be at least 1", permits);
        }

        if (period <= TimeSpan.Zero)
        {
            fail(key + "Period", "must be positive", period);
        }

        if (burst < 1)
        {
            fail(key + "Burst", "must be at least 1", burst);
        }
    }

    // Also used by the OcppMessageLog constructor (prefix "OcppMessageLogOptions.").
    public static List<string> ValidateMessageLog(OcppMessageLogOptions options, string prefix)
    {
        var failures = new List<string>();
        void Fail(string key, string rule, object? value) => failures.Add($"{prefix}{key} {rule} (is {Show(value)}).");

        if (string.IsNullOrWhiteSpace(options.Category))
        {
            failures.Add($"{prefix}Category must be a logger category name such as Ocpp.Rpc.Messages.");
        }

        if (!Enum.IsDefined(options.Level))
        {
            Fail("Level", "must be a log level (Trace, Debug, Information, Warning, Error, Critical, None)", options.Level);
        }

        if (options.MaxMessageLength < 16)
        {
            Fail("MaxMessageLength", "must be at least 16", options.MaxMessageLength);
        }

        if ((options.Redact & ~OcppRedactions.All) != 0)
        {
            Fail("Redact", "must combine None, Passwords, IdTokens, Certificates, All", options.Redact);
        }

        if (options.FilePath is { } path && string.IsNullOrWhiteSpace(path))
        {
            failures.Add($"{prefix}FilePath must be a file path, or absent for no file.");
        }

        if (options.MaxFileSize < 4096)
        {
            Fail("MaxFileSize", "must be at least 4096 bytes", options.MaxFileSize);
        }

        if (options.MaxRotatedFiles < 0)
        {
            Fail("MaxRotatedFiles", "must be zero or positive", options.MaxRotatedFiles);
        }

        if (options.FileQueueLength < 1)
        {
            Fail("FileQueueLength", "must be at least 1", options.FileQueueLength);
        }

        return failures;
    }

    private static void ValidateConnection(OcppConnectionOptions options, string prefix, List<string> failures)
    {
        void Fail(string key, string rule, object? value) => failures.Add($"{prefix}{key} {rule} (is {Show(value)}).");

        if (options.CallTimeout <= TimeSpan.Zero && options.CallTimeout != Timeout.InfiniteTimeSpan)
        {
            Fail("CallTimeout", "must be positive or Infinite", options.CallTimeout);
        }

        if (options.CallConcurrency < 1)
        {
            Fail("CallConcurrency", "must be at least 1", options.CallConcurrency);
        }

        if (options.MaxQueuedCalls < 0)
        {
            Fail("MaxQueuedCalls", "must be zero or positive", options.MaxQueuedCalls);
        }

        if (options.MaxConcurrentHandlers < 1)
        {
            Fail("MaxConcurrentHandlers", "must be at least 1", options.MaxConcurrentHandlers);
        }

        if (options.MaxBadMessages is < 1)
        {
            Fail("MaxBadMessages", "must be at least 1, or empty for no limit", options.MaxBadMessages);
        }

        if (options.MaxBadMessagesPerMinute is < 1)
        {
            Fail("MaxBadMessagesPerMinute", "must be at least 1, or empty for no limit", options.MaxBadMessagesPerMinute);
        }

        if (options.MaxPeerWarningsPerMinute is < 0)
        {
            Fail("MaxPeerWarningsPerMinute", "must be zero or positive, or empty to log every warning", options.MaxPeerWarningsPerMinute);
        }

        if (options.MaxMessageSize < 64)
        {
            Fail("MaxMessageSize", "must be at least 64 bytes", options.MaxMessageSize);
        }

        if (options.SendTimeout <= TimeSpan.Zero && options.SendTimeout != Timeout.InfiniteTimeSpan)
        {
            Fail("SendTimeout", "must be positive or Infinite", options.SendTimeout);
        }

        if (options.MaxPendingSendBytes < 1)
        {
            Fail("MaxPendingSendBytes", "must be at least 1", options.MaxPendingSendBytes);
        }

        if (options.CloseTimeout <= TimeSpan.Zero)
        {
            Fail("CloseTimeout", "must be positive", options.CloseTimeout);
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "empty",
        TimeSpan t when t == Timeout.InfiniteTimeSpan => "Infinite",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "empty",
    };
}

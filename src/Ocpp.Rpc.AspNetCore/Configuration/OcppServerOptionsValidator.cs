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

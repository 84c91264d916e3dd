using Microsoft.Extensions.Logging;

namespace Ocpp.Rpc.AspNetCore;

/// <summary>
/// The OCPP message log (<see cref="OcppMessageLog"/>), set on <see cref="OcppServerOptions.MessageLog"/>: one line per
/// frame, both directions, every station, with time, identity, protocol, direction and the raw JSON (redacted, cut at
/// <see cref="MaxMessageLength"/>), to the <see cref="Category"/> logger and optionally to a size-rotated file.
/// </summary>
public sealed record OcppMessageLogOptions
{
    /// <summary>The defaults: category <c>Ocpp.Rpc.Messages</c> at Information, 4096 characters, everything redacted, no file.</summary>
    public static OcppMessageLogOptions Default { get; } = new();

    /// <summary>The logger category. Default <c>Ocpp.Rpc.Messages</c> (set its level under <c>Logging:LogLevel</c>).</summary>
    public string Category { get; init; } = "Ocpp.Rpc.Messages";

    /// <summary>The level of the lines. Default <see cref="LogLevel.Information"/>. <see cref="LogLevel.None"/> writes only to the file.</summary>
    public LogLevel Level { get; init; } = LogLevel.Information;

    /// <summary>How many characters of a message a line keeps; the rest is replaced by a note of its length. Default 4096.</summary>
    public int MaxMessageLength { get; init; } = 4096;

    /// <summary>What is masked (replaced by <c>"***"</c>) before a message is written. Default <see cref="OcppRedactions.All"/>.</summary>
    public OcppRedactions Redact { get; init; } = OcppRedactions.All;

    /// <summary>
    /// Also write every line to this file (relative paths resolve against the current directory); <see langword="null"/>
    /// (default) writes no file. Lines are queued and written by one background task.
    /// </summary>
    public string? FilePath { get; init; }

    /// <summary>The size at which the file is rotated (renamed to <c>name.1.ext</c>, older ones shifted up). Default 10 MiB.</summary>
    public long MaxFileSize { get; init; } = 10 * 1024 * 1024;

    /// <summary>How many rotated files are kept besides the current one. Default 5.</summary>
    public int MaxRotatedFiles { get; init; } = 5;

    /// <summary>How many lines may wait for the file writer; beyond it lines are dropped (and counted in the file). Default 10 000.</summary>
    public int FileQueueLength { get; init; } = 10_000;
}

/// <summary>What the message log masks.</summary>
[Flags]
public enum OcppRedactions
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>
    /// Passwords: <c>password</c> and <c>basicAuthPassword</c> fields, the 1.6 <c>AuthorizationKey</c> configuration
    /// value, and the 2.x <c>BasicAuthPassword</c> variable's values.
    /// </summary>
    Passwords = 1,

    /// <summary>Authorization tokens: 1.6 <c>idTag</c> and <c>parentIdTag</c>, 2.x <c>idToken</c> values (group tokens included).</summary>
    IdTokens = 2,

    /// <summary>Certificates and signing material: <c>certificate</c>, <c>certificateChain</c>, <c>csr</c>, <c>signingCertificate</c>, <c>exiRequest</c>, <c>exiResponse</c>, <c>ocspResult</c>.</summary>
    Certificates = 4,

    /// <summary>All of them.</summary>
    All = Passwords | IdTokens | Certificates,
}

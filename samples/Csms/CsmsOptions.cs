using System.Globalization;
using Ocpp.Rpc.AspNetCore;

namespace Ocpp.Rpc.Samples.Csms;

/// <summary>The CSMS sample's settings, read from the command line. Immutable: derive variants with <c>with</c>.</summary>
internal sealed record CsmsOptions
{
    public const string Usage = """
        Usage: dotnet run --project samples/Csms -- [options]
               dotnet run --project samples/Csms -- hash-password IDENTITY [--hex] [PASSWORD]

          --port N              TCP port (default 9220; 0 picks a free one). Stations connect to ws://host:port/ocpp/{identity}
          --interval S          heartbeat interval sent in BootNotification responses, seconds (default 300)
          --strict              validate every payload against the official OCPP JSON schemas (both directions)
          --profile 0|1|2|3     security profile (default 0): 1 = Basic auth, 2 = TLS + Basic auth, 3 = mutual TLS
          --password-file PATH  one Basic-auth secret per station (profiles 1 and 2): lines of
                                IDENTITY:pbkdf2-sha256$ITERATIONS$SALT$HASH, made with hash-password
          --cert PATH           server certificate: a PEM file (with --key) or a PFX/PKCS#12 file (profiles 2 and 3)
          --key PATH            the PEM private key of --cert
          --cert-password P     the password of a PFX file
          --ca PATH             PEM file of the CAs that station certificates must chain to (profile 3)
          --verbose             log every message (debug level)
          --help                this text

        hash-password prints the credentials-file line of one station; without PASSWORD it reads it from the input.

        Commands while running: help, stations, tx, start <id> [idTag], stop <id>, reset <id> [hard],
                                get <id> [key ...], set <id> <key> <value>, report <id>, quit
        """;

    public static CsmsOptions Default { get; } = new();

    public int Port { get; init; } = 9220;

    public int HeartbeatInterval { get; init; } = 300;

    public bool Strict { get; init; }

    public OcppSecurityProfile Profile { get; init; } = OcppSecurityProfile.None;

    /// <summary>The per-station credentials file (<see cref="StationCredentials"/>) of profiles 1 and 2.</summary>
    public string? PasswordFile { get; init; }

    public string? CertificatePath { get; init; }

    public string? KeyPath { get; init; }

    public string? CertificatePassword { get; init; }

    public string? CaPath { get; init; }

    public bool Verbose { get; init; }

    public bool ShowHelp { get; init; }

    /// <summary>Reads the command line.</summary>
    /// <exception cref="ArgumentException">An unknown option, a missing or malformed value, or inconsistent settings.</exception>
    public static CsmsOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        CsmsOptions options = Default;
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--port" => options with { Port = ParseInt(name, Value(), 0, 65535) },
                "--interval" => options with { HeartbeatInterval = ParseInt(name, Value(), 1, 86_400) },
                "--strict" => options with { Strict = true },
                "--profile" => options with { Profile = (OcppSecurityProfile)ParseInt(name, Value(), 0, 3) },
                "--password-file" => options with { PasswordFile = Value() },
                "--password" => throw new ArgumentException(
                    "--password is gone: one password shared by every station lets any of them connect as any other. "
                    + "Give each station its own with --password-file (lines made by hash-password)."),
                "--cert" => options with { CertificatePath = Value() },
                "--key" => options with { KeyPath = Value() },
                "--cert-password" => options with { CertificatePassword = Value() },
                "--ca" => options with { CaPath = Value() },
                "--verbose" => options with { Verbose = true },
                "--help" or "-h" => options with { ShowHelp = true },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        options.Validate();
        return options;
    }

    private void Validate()
    {
        if (ShowHelp)
        {
            return;
        }

        bool basicAuth = Profile is OcppSecurityProfile.BasicAuth or OcppSecurityProfile.TlsWithBasicAuth;
        if (basicAuth && string.IsNullOrEmpty(PasswordFile))
        {
            throw new ArgumentException($"Security profile {(int)Profile} needs --password-file, one secret per station.");
        }

        if (!basicAuth && PasswordFile is not null)
        {
            throw new ArgumentException("--password-file is used by security profiles 1 and 2 only.");
        }

        if (Profile >= OcppSecurityProfile.TlsWithBasicAuth && CertificatePath is null)
        {
            throw new ArgumentException($"Security profile {(int)Profile} needs --cert (and --key for a PEM certificate).");
        }

        if (Profile == OcppSecurityProfile.MutualTls && CaPath is null)
        {
            throw new ArgumentException("Security profile 3 needs --ca, the CA certificates that station certificates chain to.");
        }

        if (Profile < OcppSecurityProfile.TlsWithBasicAuth && CertificatePath is not null)
        {
            throw new ArgumentException("--cert is used by security profiles 2 and 3 only.");
        }
    }

    private static int ParseInt(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}, not '{text}'.");
}

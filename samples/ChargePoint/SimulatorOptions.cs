using System.Globalization;

namespace Ocpp.Rpc.Samples.ChargePoint;

/// <summary>The simulator's settings, read from the command line. Immutable: derive variants with <c>with</c>.</summary>
internal sealed record SimulatorOptions
{
    public const string Usage = """
        Usage: dotnet run --project samples/ChargePoint -- [options]

          --url URL             CSMS endpoint; the identity is appended (default ws://localhost:9220/ocpp).
                                Repeat it for fallback endpoints in priority order: after 3 failed attempts on
                                one the station moves to the next
          --store FILE          keep transaction messages in a SQLite file (durable queue): they are sent in
                                order, once, when the CSMS is reachable, also after a restart of the simulator;
                                a session that starts while the CSMS is unreachable is authorized locally and
                                queued whole (1.6: the stop waits for the start's transaction id);
                                with --count N each station gets FILE-n
          --identity ID         station identity (default CP-001); with --count N: ID-1 ... ID-N
          --protocol P          ocpp1.6 | ocpp2.0.1 | ocpp2.1 (default ocpp1.6)
          --count N             stations in this process (default 1)
          --password P          the station's own Basic-auth password (security profiles 1 and 2); with --count N
                                each ID-n sends it, so each needs its line in the CSMS's --password-file
          --ca PATH             PEM file of the CA that signed the CSMS certificate (wss://)
          --cert PATH --key PATH  client certificate and key, PEM (security profile 3)
          --duration S          stop after S seconds and print a summary per station (default: until Ctrl+C)
          --charge S            length of each automatic charging session, seconds (default 30)
          --idle S              pause between automatic sessions, seconds (default 60)
          --meter-interval S    meter values interval while charging, seconds (default 10)
          --power W             charging power, watts (default 11000)
          --id-tag TAG          idTag / idToken of the automatic sessions (default TAG-0001)
          --no-auto             charge only when the CSMS asks (remote start)
          --verbose             print every message
          --help                this text
        """;

    public static SimulatorOptions Default { get; } = new();

    public Uri Url { get; init; } = new("ws://localhost:9220/ocpp");

    /// <summary>Fallback endpoints after <see cref="Url"/>, in priority order (the second and later --url).</summary>
    public IReadOnlyList<Uri> FallbackUrls { get; init; } = [];

    /// <summary>The durable queue file (--store); null keeps transaction messages as plain calls.</summary>
    public string? StorePath { get; init; }

    public string Identity { get; init; } = "CP-001";

    public string Protocol { get; init; } = OcppProtocols.Ocpp16;

    public int Count { get; init; } = 1;

    public string? Password { get; init; }

    public string? CaPath { get; init; }

    public string? CertificatePath { get; init; }

    public string? KeyPath { get; init; }

    public TimeSpan? Duration { get; init; }

    public TimeSpan ChargeDuration { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan IdleDuration { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan MeterInterval { get; init; } = TimeSpan.FromSeconds(10);

    public double PowerW { get; init; } = 11_000;

    public string IdTag { get; init; } = "TAG-0001";

    public bool AutoCharge { get; init; } = true;

    public bool Verbose { get; init; }

    public bool ShowHelp { get; init; }

    /// <summary>The identity of station <paramref name="index"/> (0-based): the plain identity, or ID-1 ... ID-N with --count.</summary>
    public string IdentityOf(int index) => Count == 1 ? Identity : string.Create(CultureInfo.InvariantCulture, $"{Identity}-{index + 1}");

    /// <summary>Reads the command line.</summary>
    /// <exception cref="ArgumentException">An unknown option or a missing or malformed value.</exception>
    public static SimulatorOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        SimulatorOptions options = Default;
        bool urlGiven = false;
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--url" => AddUrl(options, Uri.TryCreate(Value(), UriKind.Absolute, out Uri? url) && url.Scheme is "ws" or "wss" ? url : throw new ArgumentException("--url must be a ws:// or wss:// URL."), ref urlGiven),
                "--store" => options with { StorePath = Value() },
                "--identity" => options with { Identity = Value() },
                "--protocol" => options with { Protocol = Value() is var p && p is OcppProtocols.Ocpp16 or OcppProtocols.Ocpp201 or OcppProtocols.Ocpp21 ? p : throw new ArgumentException("--protocol must be ocpp1.6, ocpp2.0.1 or ocpp2.1.") },
                "--count" => options with { Count = (int)Number(name, Value(), 1, 10_000) },
                "--password" => options with { Password = Value() },
                "--ca" => options with { CaPath = Value() },
                "--cert" => options with { CertificatePath = Value() },
                "--key" => options with { KeyPath = Value() },
                "--duration" => options with { Duration = Seconds(name, Value()) },
                "--charge" => options with { ChargeDuration = Seconds(name, Value()) },
                "--idle" => options with { IdleDuration = Seconds(name, Value()) },
                "--meter-interval" => options with { MeterInterval = Seconds(name, Value()) },
                "--power" => options with { PowerW = Number(name, Value(), 1, 1_000_000) },
                "--id-tag" => options with { IdTag = Value() },
                "--no-auto" => options with { AutoCharge = false },
                "--verbose" => options with { Verbose = true },
                "--help" or "-h" => options with { ShowHelp = true },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        return options;
    }

    /// <summary>The durable queue file of station <paramref name="index"/>: FILE, or FILE-n before the extension with --count.</summary>
    public string? StorePathOf(int index) => StorePath is not { } path || Count == 1
        ? StorePath
        : Path.Combine(Path.GetDirectoryName(path) ?? string.Empty, string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileNameWithoutExtension(path)}-{index + 1}{Path.GetExtension(path)}"));

    private static SimulatorOptions AddUrl(SimulatorOptions options, Uri url, ref bool given)
    {
        if (!given)
        {
            given = true;
            return options with { Url = url };
        }

        return options with { FallbackUrls = [.. options.FallbackUrls, url] };
    }

    private static TimeSpan Seconds(string name, string text) => TimeSpan.FromSeconds(Number(name, text, 0.01, 86_400 * 365));

    private static double Number(string name, string text, double min, double max) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} must be a number from {min} to {max}, not '{text}'.");
}

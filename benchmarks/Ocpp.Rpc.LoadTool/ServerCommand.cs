using System.Diagnostics;
using System.Text.Json;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Messages.V16;
using Ocpp.Rpc.Validation;

namespace Ocpp.Rpc.LoadTool;

/// <summary>
/// An <see cref="OcppServer"/> with a Heartbeat handler (typed by default, <c>--raw</c> for pre-built JSON,
/// <c>--inline</c> for <see cref="OcppServerOptions.PreferInlineScheduling"/>) and a DataTransfer echo.
/// </summary>
internal static class ServerCommand
{
    public static async Task RunAsync(Args args, CancellationToken stop)
    {
        int port = args.Int("port", 9220);
        string protocol = args.String("protocol", OcppProtocols.Ocpp16);
        bool strict = args.Flag("strict");
        bool raw = args.Flag("raw");
        bool inline = args.Flag("inline");
        double reportEvery = args.Double("report-memory", 0);
        int callRate = args.Int("call-rate", 0);
        bool rejectOverRate = args.Flag("call-rate-reject");
        bool messageLog = args.Flag("message-log");
        string? messageLogFile = args.Flag("message-log-file") ? args.Required("message-log-file") : null;
        bool logging = args.Flag("logging") || messageLog || messageLogFile is not null;
        // --tls-cert PEM --tls-key PEM --password PW: security profile 2 (TLS, Basic auth checked per handshake).
        string? tlsCert = args.Flag("tls-cert") ? args.Required("tls-cert") : null;
        // --password alone: profile 1 (Basic auth over plain ws), so a plain baseline checks the same header.
        string? password = args.Flag("password") ? args.Required("password") : tlsCert is null ? null : "benchmark-password-16";
        using System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = tlsCert is null
            ? null
            : System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(tlsCert, args.Required("tls-key"));

        // The message log "on at its default level with nothing listening": a logger factory without providers.
        using var quietLogging = Microsoft.Extensions.Logging.LoggerFactory.Create(_ => { });

        OcppSchemaValidator? validator = null;
        if (strict)
        {
            validator = new OcppSchemaValidator();
            validator.Preload();
        }

        await using var server = new OcppServer(OcppServerOptions.Default with
        {
            Protocols = [protocol],
            MaxConnections = 1_000_000,
            PreferInlineScheduling = inline,
            CallRateLimit = callRate > 0
                ? new OcppCallRateLimitOptions { PermitsPerPeriod = callRate, Period = TimeSpan.FromSeconds(1), Burst = callRate, WhenExceeded = rejectOverRate ? OcppRateLimitExceededAction.Reject : OcppRateLimitExceededAction.Wait }
                : null,
            MessageLog = messageLog || messageLogFile is not null ? new OcppMessageLogOptions { FilePath = messageLogFile } : null,
            SecurityProfile = certificate is not null ? OcppSecurityProfile.TlsWithBasicAuth : password is not null ? OcppSecurityProfile.BasicAuth : OcppSecurityProfile.None,
            Tls = certificate is null ? null : new OcppTlsOptions { ServerCertificate = certificate },
            Authenticate = password is null
                ? null
                : (handshake, _) => new ValueTask<OcppAuthResult>(handshake.PasswordEquals(password) ? OcppAuthResult.Accept() : OcppAuthResult.Reject()),
            Connection = OcppConnectionOptions.Default with
            {
                // --logging: the same factory without the message log (the fair baseline of the log's cost).
                LoggerFactory = logging ? quietLogging : null,
                // A station may keep many calls in flight here (the load client's window): let them run concurrently.
                MaxConcurrentHandlers = 4096,
                Validator = validator,
            },
        });

        if (raw)
        {
            byte[] reply = """{"currentTime":"2025-01-01T12:00:00.000Z"}"""u8.ToArray();
            server.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppPayload.FromUtf8Json(reply)));
        }
        else if (protocol == OcppProtocols.Ocpp16)
        {
            server.Handle<HeartbeatRequest, HeartbeatResponse>((_, _) => new HeartbeatResponse { CurrentTime = DateTimeOffset.UtcNow });
        }
        else if (protocol == OcppProtocols.Ocpp201)
        {
            server.Handle<Messages.V201.HeartbeatRequest, Messages.V201.HeartbeatResponse>((_, _) => new Messages.V201.HeartbeatResponse { CurrentTime = DateTimeOffset.UtcNow });
        }
        else
        {
            server.Handle<Messages.V21.HeartbeatRequest, Messages.V21.HeartbeatResponse>((_, _) => new Messages.V21.HeartbeatResponse { CurrentTime = DateTimeOffset.UtcNow });
        }

        // For benchmarks/hardening-memory.sh: a station's DataTransfer comes back whole (a large reply it may not read).
        server.Handle("DataTransfer", ctx => new ValueTask<OcppReply>(OcppReply.With(OcppPayload.FromUtf8Json(ctx.Payload.ToArray()))));

        await server.ListenAsync(port, System.Net.IPAddress.Loopback, stop);
        Console.WriteLine(JsonSerializer.Serialize(new { listening = port, protocol, tls = certificate?.PublicKey.Oid.FriendlyName, strict, typed = !raw, inline, callRate, rejectOverRate, logging, messageLog = messageLog || messageLogFile is not null, messageLogFile, gcServer = System.Runtime.GCSettings.IsServerGC }));
        Console.Out.Flush();

        try
        {
            if (reportEvery > 0)
            {
                while (!stop.IsCancellationRequested)
                {
                    MemoryReport.Print(server.ConnectionCount);
                    await Task.Delay(TimeSpan.FromSeconds(reportEvery), stop);
                }
            }
            else
            {
                await Task.Delay(Timeout.Infinite, stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

/// <summary>
/// One JSON line: managed heap after a full blocking GC, working set, private bytes, connections; with
/// <c>LT_MALLOC_TRIM=1</c> in the environment also the working set after glibc's <c>malloc_trim(0)</c> (native memory
/// freed but kept by the allocator, e.g. by TLS handshakes that are over, is given back first).
/// </summary>
internal static partial class MemoryReport
{
    private static readonly bool Trim = Environment.GetEnvironmentVariable("LT_MALLOC_TRIM") == "1" && OperatingSystem.IsLinux();

    public static void Print(int connections)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        long heap = GC.GetTotalMemory(forceFullCollection: false);
        long workingSet = process.WorkingSet64;
        long? trimmed = null;
        if (Trim)
        {
            _ = MallocTrim(0);
            process.Refresh();
            trimmed = process.WorkingSet64;
        }

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            memory = true,
            connections,
            gcHeapBytes = heap,
            gcCommittedBytes = GC.GetGCMemoryInfo().TotalCommittedBytes,
            workingSetBytes = workingSet,
            workingSetTrimmedBytes = trimmed,
            privateBytes = process.PrivateMemorySize64,
        }));
        Console.Out.Flush();
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}

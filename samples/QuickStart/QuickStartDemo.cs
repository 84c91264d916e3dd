using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Client;
using Ocpp.Rpc.Messages.V16;

namespace Ocpp.Rpc.Samples.QuickStart;

/// <summary>
/// A CSMS and a charge point in one process, over a real WebSocket: boot, heartbeat, status, a whole transaction with
/// meter values, then the CSMS calling the station. Every message on the wire is printed as it arrives.
/// </summary>
internal static class QuickStartDemo
{
    private const string StationId = "CP-001";

    /// <summary>Runs the exchange and returns the process exit code (0 when everything went as expected).</summary>
    public static async Task<int> RunAsync(TextWriter output, CancellationToken cancellationToken = default)
    {
        var transcript = new Transcript(output);

        // ---- The CSMS: a standalone OcppServer (Kestrel) on a free loopback port, OCPP 1.6 only. ----
        await using var csms = new OcppServer(OcppServerOptions.Default with { Protocols = [OcppProtocols.Ocpp16] });
        var meterStarts = new ConcurrentDictionary<int, int>();
        int lastTransactionId = 0;

        csms.Handle<BootNotificationRequest, BootNotificationResponse>((request, call) => new BootNotificationResponse
        {
            Status = RegistrationStatus.Accepted,
            Interval = 300,
            CurrentTime = DateTimeOffset.UtcNow,
        });
        csms.Handle<HeartbeatRequest, HeartbeatResponse>((request, call) => new HeartbeatResponse { CurrentTime = DateTimeOffset.UtcNow });
        csms.Handle<StatusNotificationRequest, StatusNotificationResponse>((request, call) => new StatusNotificationResponse());
        csms.Handle<AuthorizeRequest, AuthorizeResponse>((request, call) => new AuthorizeResponse
        {
            IdTagInfo = new IdTagInfo { Status = request.IdTag.StartsWith("BLOCKED", StringComparison.Ordinal) ? AuthorizationStatus.Blocked : AuthorizationStatus.Accepted },
        });
        csms.Handle<StartTransactionRequest, StartTransactionResponse>((request, call) =>
        {
            int transactionId = Interlocked.Increment(ref lastTransactionId);
            meterStarts[transactionId] = request.MeterStart;
            return new StartTransactionResponse { TransactionId = transactionId, IdTagInfo = new IdTagInfo { Status = AuthorizationStatus.Accepted } };
        });
        csms.Handle<MeterValuesRequest, MeterValuesResponse>((request, call) => new MeterValuesResponse());
        csms.Handle<StopTransactionRequest, StopTransactionResponse>((request, call) =>
        {
            if (meterStarts.TryRemove(request.TransactionId, out int meterStart))
            {
                transcript.Note($"CSMS: transaction {request.TransactionId} of {call.Identity} delivered {request.MeterStop - meterStart} Wh");
            }

            return new StopTransactionResponse { IdTagInfo = new IdTagInfo { Status = AuthorizationStatus.Accepted } };
        });

        // Raised before the connection reads its first message, so the transcript sees everything.
        csms.StationConnected += (_, e) => transcript.Watch(e.Connection, self: "CSMS", peer: e.Connection.Identity ?? "?");
        await csms.ListenAsync(0, IPAddress.Loopback, cancellationToken);
        transcript.Note($"CSMS listening on ws://127.0.0.1:{csms.Port}/ocpp/{{identity}}");

        // ---- The charge point: an OcppClient (it would reconnect by itself if the link dropped). ----
        await using var station = new OcppClient(new OcppClientOptions
        {
            Endpoint = new Uri($"ws://127.0.0.1:{csms.Port}/ocpp"),
            Identity = StationId,
            Protocols = [OcppProtocols.Ocpp16],
        });
        int heartbeatInterval = 0;
        station.Handle<GetConfigurationRequest, GetConfigurationResponse>((request, call) =>
        {
            var known = new Dictionary<string, KeyValue>(StringComparer.Ordinal)
            {
                ["HeartbeatInterval"] = new() { Key = "HeartbeatInterval", Readonly = false, Value = heartbeatInterval.ToString(CultureInfo.InvariantCulture) },
                ["NumberOfConnectors"] = new() { Key = "NumberOfConnectors", Readonly = true, Value = "1" },
            };
            IReadOnlyList<string> keys = request.Key is { Count: > 0 } asked ? asked : [.. known.Keys];
            return new GetConfigurationResponse
            {
                ConfigurationKey = [.. keys.Where(known.ContainsKey).Select(k => known[k])],
                UnknownKey = [.. keys.Where(k => !known.ContainsKey(k))],
            };
        });
        station.Handle<ResetRequest, ResetResponse>((request, call) =>
        {
            transcript.Note($"{StationId}: {request.Type} reset accepted (a real station would reboot now)");
            return new ResetResponse { Status = AcceptedRejectedStatus.Accepted };
        });
        station.Connected += (_, e) => transcript.Watch(e.Connection, self: StationId, peer: "CSMS");
        await station.ConnectAsync(cancellationToken);
        transcript.Note($"{StationId} connected with {station.Protocol}");

        // ---- The station's side of the conversation. ----
        BootNotificationResponse boot = await station.CallAsync(
            new BootNotificationRequest { ChargePointVendor = "Acme", ChargePointModel = "QuickStart", FirmwareVersion = "1.0.0" },
            cancellationToken: cancellationToken);
        if (boot.Status != RegistrationStatus.Accepted)
        {
            transcript.Note($"Boot was {boot.Status}; stopping.");
            return 1;
        }

        heartbeatInterval = boot.Interval;
        await station.CallAsync(new HeartbeatRequest(), cancellationToken: cancellationToken);
        await SendStatusAsync(station, ChargePointStatus.Available, cancellationToken);

        AuthorizeResponse authorized = await station.CallAsync(new AuthorizeRequest { IdTag = "TAG-0001" }, cancellationToken: cancellationToken);
        if (authorized.IdTagInfo.Status != AuthorizationStatus.Accepted)
        {
            transcript.Note($"TAG-0001 was {authorized.IdTagInfo.Status}; stopping.");
            return 1;
        }

        await SendStatusAsync(station, ChargePointStatus.Preparing, cancellationToken);
        StartTransactionResponse started = await station.CallAsync(
            new StartTransactionRequest { ConnectorId = 1, IdTag = "TAG-0001", MeterStart = 12_000, Timestamp = DateTimeOffset.UtcNow },
            cancellationToken: cancellationToken);
        await SendStatusAsync(station, ChargePointStatus.Charging, cancellationToken);
        foreach (int register in (int[])[12_750, 13_500])
        {
            await station.CallAsync(new MeterValuesRequest
            {
                ConnectorId = 1,
                TransactionId = started.TransactionId,
                MeterValue = [new MeterValue
                {
                    Timestamp = DateTimeOffset.UtcNow,
                    SampledValue = [new SampledValue
                    {
                        Value = register.ToString(CultureInfo.InvariantCulture),
                        Measurand = Measurand.EnergyActiveImportRegister,
                        Unit = UnitOfMeasure.Wh,
                        Context = ReadingContext.SamplePeriodic,
                    }],
                }],
            }, cancellationToken: cancellationToken);
        }

        await station.CallAsync(
            new StopTransactionRequest { TransactionId = started.TransactionId, MeterStop = 14_000, Timestamp = DateTimeOffset.UtcNow, Reason = Reason.Local },
            cancellationToken: cancellationToken);
        await SendStatusAsync(station, ChargePointStatus.Available, cancellationToken);

        // ---- The CSMS calls the station, by identity. ----
        GetConfigurationResponse configuration = await csms.GetStation(StationId).CallAsync(new GetConfigurationRequest { Key = ["HeartbeatInterval", "NoSuchKey"] }, cancellationToken: cancellationToken);
        transcript.Note($"CSMS: {StationId} has HeartbeatInterval = {configuration.ConfigurationKey?.FirstOrDefault()?.Value}, unknown: {string.Join(", ", configuration.UnknownKey ?? [])}");
        ResetResponse reset = await csms.GetStation(StationId).CallAsync(new ResetRequest { Type = ResetType.Soft }, cancellationToken: cancellationToken);

        // ---- Close the link cleanly (WebSocket close 1000); the server stops when disposed. ----
        await station.CloseAsync(cancellationToken: cancellationToken);
        transcript.Note($"Done: boot {boot.Status}, transaction {started.TransactionId} closed, reset {reset.Status}.");
        return reset.Status == AcceptedRejectedStatus.Accepted ? 0 : 1;
    }

    private static Task<StatusNotificationResponse> SendStatusAsync(OcppClient station, ChargePointStatus status, CancellationToken cancellationToken) =>
        station.CallAsync(
            new StatusNotificationRequest { ConnectorId = 1, Status = status, ErrorCode = ChargePointErrorCode.NoError, Timestamp = DateTimeOffset.UtcNow },
            cancellationToken: cancellationToken);
}

using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Ocpp.Rpc.Client;
using Ocpp.Rpc.Sqlite;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.Samples.ChargePoint;

/// <summary>Why a charging session ended.</summary>
internal enum StopCause
{
    Local,
    Remote,
    Reset,
    DeAuthorized,
}

/// <summary>One charging session on connector/EVSE 1.</summary>
internal sealed class Session(string idTag, bool remote, int? remoteStartId, double meterStartWh, CancellationToken lifetime)
{
    public string IdTag { get; } = idTag;

    public bool Remote { get; } = remote;

    public int? RemoteStartId { get; } = remoteStartId;

    public double MeterStartWh { get; } = meterStartWh;

    /// <summary>Set by the station once the CSMS knows the transaction (1.6: the CSMS's id; 2.x: the station's).</summary>
    public string? TransactionId { get; set; }

    /// <summary>2.x: the TransactionEvent sequence number.</summary>
    public int SeqNo { get; set; }

    /// <summary>Started while the CSMS was unreachable (with --store): locally authorized, its start queued.</summary>
    public bool Offline { get; set; }

    /// <summary>1.6, started offline: the queued StartTransaction, whose answer carries the CSMS's transaction id.</summary>
    public Ocpp.Rpc.Client.OcppMessageHandle? PendingStart { get; set; }

    public StopCause Cause { get; private set; } = StopCause.Local;

    /// <summary>Cancelled to end the session: on request, or when the station resets or shuts down.</summary>
    public CancellationTokenSource Stop { get; } = CancellationTokenSource.CreateLinkedTokenSource(lifetime);

    public Task Completion { get; set; } = Task.CompletedTask;

    public void RequestStop(StopCause cause)
    {
        if (!Stop.IsCancellationRequested)
        {
            Cause = cause;
            Stop.Cancel();
        }
    }
}

/// <summary>
/// A simulated charge point with one connector, independent of the OCPP version: it connects (an
/// <see cref="OcppClient"/> that reconnects by itself), boots until accepted, heartbeats at the interval the CSMS
/// gave, charges (automatically and on remote start) with periodic meter values, and resets when asked.
/// <see cref="Station16"/>, <see cref="Station201"/> and <see cref="Station21"/> turn this into messages.
/// </summary>
internal abstract class SimulatedStation : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan FinalCallTimeout = TimeSpan.FromSeconds(5);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string Value, bool ReadOnly)> _configuration;
    private readonly TextWriter _output;
    private Session? _session;
    private CancellationTokenSource? _bootLifetime;
    private double _registerWh;
    private readonly SqliteOcppMessageStore? _store;

    protected SimulatedStation(string identity, SimulatorOptions options, TextWriter output)
    {
        Identity = identity;
        Options = options;
        _output = output;
        _registerWh = 10_000 + (Math.Abs(StringComparer.Ordinal.GetHashCode(identity)) % 1000);
        _configuration = new(StringComparer.Ordinal)
        {
            ["HeartbeatInterval"] = ("300", false),
            ["MeterValueSampleInterval"] = (options.MeterInterval.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture), false),
            ["NumberOfConnectors"] = ("1", true),
        };
        if (options.StorePathOf(StationIndex(identity, options)) is { } storePath)
        {
            // A corrupted or locked file stops the simulator here, with the store's own message.
            _store = SqliteOcppMessageStore.Open(storePath);
        }

        Client = new OcppClient(ClientOptions(identity, options, _store));
        Client.Disconnected += (_, e) => Say($"disconnected ({e.Code}{(e.Reason is { Length: > 0 } reason ? " " + reason : string.Empty)}){(e.WillReconnect ? ", reconnecting" : string.Empty)}");
        if (options.Verbose)
        {
            Client.Connected += (_, e) => Print(e.Connection);
        }
    }

    public string Identity { get; }

    public abstract string Protocol { get; }

    public StationStats Stats { get; } = new();

    protected SimulatorOptions Options { get; }

    protected OcppClient Client { get; }

    /// <summary>The energy register (Energy.Active.Import.Register), in Wh.</summary>
    protected double RegisterWh => Volatile.Read(ref _registerWh);

    /// <summary>The configuration keys as 1.6 names them (2.x maps its component/variable pairs onto them).</summary>
    public IReadOnlyDictionary<string, (string Value, bool ReadOnly)> Configuration
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, (string, bool)>(_configuration, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled: connect, boot, work; after a reset, all again.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        RegisterHandlers();
        bool afterReset = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!await ConnectAsync(cancellationToken))
            {
                return;
            }

            using var bootLifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Volatile.Write(ref _bootLifetime, bootLifetime);
            try
            {
                await RunBootedAsync(afterReset, bootLifetime.Token);
            }
            catch (OperationCanceledException) when (bootLifetime.IsCancellationRequested)
            {
            }

            await EndSessionAsync(cancellationToken.IsCancellationRequested ? StopCause.Local : StopCause.Reset);
            using var closing = new CancellationTokenSource(FinalCallTimeout);
            await Client.CloseAsync(new OcppCloseOptions { Code = cancellationToken.IsCancellationRequested ? OcppCloseCodes.Normal : 1012, Reason = cancellationToken.IsCancellationRequested ? "Shutting down" : "Resetting" }, closing.Token);
            afterReset = true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        _store?.Dispose();
    }

    /// <summary>
    /// A transaction message after the start (meter values, the end): with --store it goes to the durable queue and
    /// the charge goes on while the CSMS is unreachable (sent in order, once, when it is back); otherwise a plain call.
    /// </summary>
    protected async Task TransactionMessageAsync<TRequest, TResponse>(IOcppRequest<TRequest, TResponse> request, CancellationToken cancellationToken)
        where TRequest : IOcppRequest<TRequest, TResponse>
    {
        if (Client.Options.MessageQueue is not null)
        {
            await Client.EnqueueAsync(request, cancellationToken);
            return;
        }

        await Client.CallAsync(request, cancellationToken: cancellationToken);
    }

    // ---- What each OCPP version says. ----

    /// <summary>Registers the handlers for the CSMS's calls (remote start/stop, reset, configuration).</summary>
    protected abstract void RegisterHandlers();

    /// <summary>Sends BootNotification; returns whether it was accepted, the status text and the interval.</summary>
    protected abstract Task<(bool Accepted, string Status, int Interval)> BootAsync(bool afterReset, CancellationToken cancellationToken);

    protected abstract Task HeartbeatAsync(CancellationToken cancellationToken);

    /// <summary>Sends StatusNotification for the connector: <paramref name="occupied"/> false = Available; 1.6 also tells Charging from Preparing/Finishing.</summary>
    protected abstract Task StatusAsync(bool occupied, bool charging, CancellationToken cancellationToken);

    /// <summary>Anything sent once after boot (a DataTransfer, a meter reading).</summary>
    protected abstract Task AfterBootAsync(CancellationToken cancellationToken);

    protected abstract Task<bool> AuthorizeAsync(string idTag, CancellationToken cancellationToken);

    /// <summary>
    /// Starts the transaction; sets <see cref="Session.TransactionId"/>; returns false when the CSMS refused the idTag.
    /// With <see cref="Session.Offline"/>: enqueues the start in the durable queue and returns true.
    /// </summary>
    protected abstract Task<bool> StartTransactionAsync(Session session, CancellationToken cancellationToken);

    protected abstract Task MeterValuesAsync(Session session, CancellationToken cancellationToken);

    protected abstract Task StopTransactionAsync(Session session, CancellationToken cancellationToken);

    // ---- What the handlers call. ----

    /// <summary>Remote start: accepted when the connector is free; the session then starts in the background.</summary>
    protected bool TryRemoteStart(string idTag, int? remoteStartId, string? transactionId = null)
    {
        bool started = TryBeginSession(idTag, remote: true, remoteStartId, transactionId);
        Say(started ? $"remote start for {idTag} accepted" : $"remote start for {idTag} rejected: busy");
        return started;
    }

    /// <summary>Remote stop: accepted when <paramref name="transactionId"/> is the running transaction.</summary>
    protected bool TryRemoteStop(string transactionId)
    {
        Session? session;
        lock (_lock)
        {
            session = _session;
        }

        if (session?.TransactionId != transactionId)
        {
            Say($"remote stop of {transactionId} rejected: no such transaction");
            return false;
        }

        Stats.RemoteStop();
        session.RequestStop(StopCause.Remote);
        return true;
    }

    /// <summary>
    /// Reset: with <paramref name="whenIdle"/> and a session running, the reset waits for the session to end (2.x
    /// OnIdle: Scheduled); otherwise the session stops at once. Either way the station reconnects and boots again
    /// shortly after answering.
    /// </summary>
    /// <returns>True when the reset happens now, false when it is scheduled.</returns>
    protected bool ScheduleReset(bool whenIdle)
    {
        Session? session;
        lock (_lock)
        {
            session = _session;
        }

        bool now = !whenIdle || session is null;
        _ = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200)); // let the response go out first
            if (!now && session is not null)
            {
                await session.Completion;
            }

            Stats.Reset();
            Say("resetting");
            await EndSessionAsync(StopCause.Reset);
            Volatile.Read(ref _bootLifetime)?.Cancel();
        });
        return now;
    }

    protected bool TryGetConfiguration(string key, out string value, out bool readOnly)
    {
        lock (_lock)
        {
            bool found = _configuration.TryGetValue(key, out (string Value, bool ReadOnly) entry);
            (value, readOnly) = entry;
            return found;
        }
    }

    /// <summary>Changes a key on the CSMS's request: null when it is unknown, false when read-only or invalid, true when changed.</summary>
    protected bool? TrySetConfiguration(string key, string value)
    {
        lock (_lock)
        {
            if (!_configuration.TryGetValue(key, out (string Value, bool ReadOnly) entry))
            {
                return null;
            }

            if (entry.ReadOnly || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) || number <= 0)
            {
                return false;
            }
        }

        SetConfiguration(key, value);
        Say($"{key} set to {value}");
        return true;
    }

    private void SetConfiguration(string key, string value)
    {
        lock (_lock)
        {
            _configuration[key] = (value, _configuration[key].ReadOnly);
        }
    }

    protected void Say(string text) => _output.WriteLine($"[{Identity}] {text}");

    // ---- The station's own behaviour. ----

    private async Task<bool> ConnectAsync(CancellationToken cancellationToken)
    {
        string? lastError = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Client.ConnectAsync(cancellationToken);
                Stats.LastError = null;
                Say($"connected to {Client.Uri} ({Client.Protocol})");
                return true;
            }
            catch (OcppConnectException ex)
            {
                string error = ex.StatusCode is { } status ? $"refused: HTTP {(int)status}" : $"cannot connect: {ex.Failure}";
                Stats.LastError = error;
                if (error != lastError)
                {
                    Say($"{error}; retrying every {RetryDelay.TotalSeconds:0} s");
                    lastError = error;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            try
            {
                await Task.Delay(RetryDelay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return false;
    }

    private async Task RunBootedAsync(bool afterReset, CancellationToken cancellationToken)
    {
        while (true)
        {
            (bool accepted, string status, int interval) = await RetryAsync(ct => BootAsync(afterReset, ct), cancellationToken);
            Stats.Booted(status);
            if (interval > 0)
            {
                SetConfiguration("HeartbeatInterval", interval.ToString(CultureInfo.InvariantCulture));
            }

            Say($"boot {status}, interval {interval} s");
            if (accepted)
            {
                break;
            }

            // Pending or Rejected: try again after the interval the CSMS asked for.
            await Task.Delay(TimeSpan.FromSeconds(interval > 0 ? interval : 10), cancellationToken);
        }

        await RetryAsync(ct => StatusAsync(occupied: false, charging: false, ct), cancellationToken);
        await RetryAsync(AfterBootOnceAsync, cancellationToken);
        await Task.WhenAll(HeartbeatLoopAsync(cancellationToken), AutoChargeLoopAsync(cancellationToken));
    }

    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(Interval("HeartbeatInterval", 300), cancellationToken);
            await RetryAsync(HeartbeatAsync, cancellationToken);
            Stats.Heartbeat();
        }
    }

    private async Task AutoChargeLoopAsync(CancellationToken cancellationToken)
    {
        if (!Options.AutoCharge)
        {
            return;
        }

        await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        while (true)
        {
            TryBeginSession(Options.IdTag, remote: false, remoteStartId: null, transactionId: null);
            Session? session;
            lock (_lock)
            {
                session = _session;
            }

            if (session is not null)
            {
                await session.Completion.WaitAsync(cancellationToken);
            }

            await Task.Delay(Options.IdleDuration, cancellationToken);
        }
    }

    private bool TryBeginSession(string idTag, bool remote, int? remoteStartId, string? transactionId)
    {
        CancellationTokenSource? lifetime = Volatile.Read(ref _bootLifetime);
        if (lifetime is null || lifetime.IsCancellationRequested)
        {
            return false;
        }

        Session session;
        lock (_lock)
        {
            if (_session is not null)
            {
                return false;
            }

            session = new Session(idTag, remote, remoteStartId, RegisterWh, lifetime.Token) { TransactionId = transactionId };
            _session = session;
        }

        session.Completion = Task.Run(() => ChargeAsync(session));
        return true;
    }

    private async Task ChargeAsync(Session session)
    {
        // The session's calls are not cancelled with it: a stopped session still reports its end to the CSMS.
        using var callTimeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        CancellationToken calls = callTimeout.Token;
        try
        {
            // With --store, a station that cannot reach the CSMS still charges (1.6 LocalAuthorizeOffline and
            // AllowOfflineTxForUnknownId, 2.x OfflineTxForUnknownIdEnabled): the idTag is taken as authorized and
            // the start goes to the durable queue with the rest of the transaction.
            session.Offline = Client.Options.MessageQueue is not null && Client.State != OcppClientState.Open;
            if (session.Offline)
            {
                Say($"CSMS unreachable: starting offline for {session.IdTag} (transaction messages queued)");
            }
            else if (!session.Remote && !await AuthorizeAsync(session.IdTag, calls))
            {
                Say($"{session.IdTag} not authorized");
                return;
            }

            await StatusWhenOnlineAsync(session, occupied: true, charging: false, calls);
            if (!await StartTransactionAsync(session, calls))
            {
                Say($"transaction {session.TransactionId} refused by the CSMS");
                session.RequestStop(StopCause.DeAuthorized);
                await StopTransactionAsync(session, calls);
                return;
            }

            Stats.TransactionStarted(session.Remote);
            Say($"transaction {session.TransactionId ?? "(id from the CSMS pending)"} started for {session.IdTag}{(session.Remote ? " (remote)" : string.Empty)}");
            await StatusWhenOnlineAsync(session, occupied: true, charging: true, calls);
            DateTimeOffset end = DateTimeOffset.UtcNow + Options.ChargeDuration;
            DateTimeOffset last = DateTimeOffset.UtcNow;
            while (!session.Stop.IsCancellationRequested && DateTimeOffset.UtcNow < end)
            {
                TimeSpan wait = Interval("MeterValueSampleInterval", 10);
                TimeSpan left = end - DateTimeOffset.UtcNow;
                try
                {
                    await Task.Delay(wait < left ? wait : left, session.Stop.Token);
                }
                catch (OperationCanceledException)
                {
                }

                DateTimeOffset now = DateTimeOffset.UtcNow;
                double wh = Options.PowerW * (now - last).TotalHours;
                last = now;
                Interlocked.Exchange(ref _registerWh, RegisterWh + wh);
                Stats.Energy(wh);
                if (!session.Stop.IsCancellationRequested && now < end)
                {
                    await MeterValuesAsync(session, calls);
                    Stats.MeterValue();
                }
            }

            await StopTransactionAsync(session, calls);
            Say($"transaction {session.TransactionId} stopped ({session.Cause}), {RegisterWh - session.MeterStartWh:0} Wh");
        }
        catch (Exception ex) when (ex is OcppRpcException or OcppCallTimeoutException or OcppConnectionClosedException or OperationCanceledException or OcppMessageStoreException or OcppCallQueueFullException)
        {
            Stats.LastError = $"{ex.GetType().Name}: {ex.Message}";
            Say($"session ended by an error: {ex.Message}");
        }
        finally
        {
            lock (_lock)
            {
                _session = null;
            }

            try
            {
                if (Client.State == OcppClientState.Open)
                {
                    await StatusAsync(occupied: false, charging: false, calls);
                }
            }
            catch (Exception ex) when (ex is OcppRpcException or OcppCallTimeoutException or OcppConnectionClosedException or OperationCanceledException)
            {
                Stats.LastError = ex.Message;
            }
        }
    }

    // StatusNotification is not a transaction message: an offline station reports its status once it reconnects.
    private async Task StatusWhenOnlineAsync(Session session, bool occupied, bool charging, CancellationToken cancellationToken)
    {
        if (!session.Offline)
        {
            await StatusAsync(occupied, charging, cancellationToken);
        }
    }

    private async Task EndSessionAsync(StopCause cause)
    {
        Session? session;
        lock (_lock)
        {
            session = _session;
        }

        if (session is not null)
        {
            session.RequestStop(cause);
            await session.Completion.WaitAsync(FinalCallTimeout * 2).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private TimeSpan Interval(string key, double fallbackSeconds) =>
        TimeSpan.FromSeconds(TryGetConfiguration(key, out string value, out _) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 0 ? seconds : fallbackSeconds);

    // What is sent after boot is optional: a CSMS that answers it with NotSupported or NotImplemented (ocpp-ws-io's
    // and ocpp-ts's do for DataTransfer) has answered, so it is not retried; other failures are.
    private async Task AfterBootOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await AfterBootAsync(cancellationToken);
        }
        catch (OcppRpcException ex) when (ex.Code is OcppErrorCode.NotSupported or OcppErrorCode.NotImplemented)
        {
            Say($"the CSMS does not take the after-boot message ({ex.Code}); not retried");
        }
    }

    // A call that fails (link lost, timeout, CALLERROR) is retried: the client reconnects by itself meanwhile.
    private async Task<T> RetryAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await call(cancellationToken);
            }
            catch (Exception ex) when (ex is OcppRpcException or OcppCallTimeoutException or OcppConnectionClosedException or OcppCallQueueFullException)
            {
                Stats.LastError = $"{ex.GetType().Name}: {ex.Message}";
                Say($"call failed ({ex.Message}); retrying");
            }

            await Task.Delay(RetryDelay, cancellationToken);
        }
    }

    private Task RetryAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        RetryAsync(async ct =>
        {
            await call(ct);
            return true;
        }, cancellationToken);

    private void Print(OcppConnection connection)
    {
        connection.CallSent += (_, e) => Say($"-> CALL {e.Action} {e.Payload}");
        connection.CallReceived += (_, e) => Say($"<- CALL {e.Action} {e.Payload}");
        connection.ResultSent += (_, e) => Say($"-> RESULT {e.Action} {e.Payload}");
        connection.ResultReceived += (_, e) => Say($"<- RESULT {e.Action} {e.Payload}");
        connection.ErrorSent += (_, e) => Say($"-> ERROR {e.Action} {e.WireCode} {e.Description}");
        connection.ErrorReceived += (_, e) => Say($"<- ERROR {e.Action} {e.WireCode} {e.Description}");
    }

    private static int StationIndex(string identity, SimulatorOptions options) =>
        Enumerable.Range(0, options.Count).First(i => options.IdentityOf(i) == identity);

    private static OcppClientOptions ClientOptions(string identity, SimulatorOptions options, IOcppMessageStore? store)
    {
        var client = new OcppClientOptions
        {
            Endpoint = options.Url,
            Endpoints = options.FallbackUrls.Count == 0 ? [] : [.. new[] { options.Url }.Concat(options.FallbackUrls).Select(url => new OcppEndpoint { Url = url })],
            MessageQueue = store is null ? null : new OcppMessageQueueOptions { Store = store, MessageRetryInterval = TimeSpan.FromSeconds(10) },
            Identity = identity,
            Protocols = [options.Protocol],
            Reconnect = OcppReconnectOptions.Default with { WaitMinimum = TimeSpan.FromSeconds(1), RandomRange = TimeSpan.FromSeconds(2), RepeatTimes = 4 },
            Connection = OcppConnectionOptions.Default with { CallTimeout = TimeSpan.FromSeconds(30) },
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        if (options.Password is { } password)
        {
            client = client.WithPassword(password);
        }

        X509Certificate2Collection? roots = null;
        if (options.CaPath is { } caPath)
        {
            roots = [];
            roots.ImportFromPemFile(caPath);
        }

        X509Certificate2? certificate = options.CertificatePath is { } certificatePath
            ? X509CertificateLoader.LoadPkcs12(X509Certificate2.CreateFromPemFile(certificatePath, options.KeyPath).Export(X509ContentType.Pkcs12), null)
            : null;
        return client with { Tls = client.Tls with { TrustedRootCertificates = roots, ClientCertificate = certificate } };
    }
}

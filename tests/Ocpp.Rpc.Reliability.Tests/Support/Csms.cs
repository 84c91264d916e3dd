using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace Ocpp.Rpc.Reliability.Tests.Support;

/// <summary>What the CSMS handler saw of one transaction message.</summary>
internal sealed record Seen(string Identity, string MessageId, string Action, int Seq);

/// <summary>
/// A real <see cref="OcppServer"/> on 127.0.0.1 that records every transaction message its handler runs for (the
/// "seq" field of the payload) and can be stopped and started again on the same port, keeping what it saw and one
/// <see cref="OcppDuplicateCallFilter"/> across restarts (as a CSMS whose reply memory outlives a node).
/// </summary>
internal sealed class Csms : IAsyncDisposable
{
    private readonly OcppServerOptions _options;
    private readonly Func<OcppCallContext, Seen, ValueTask<OcppReply>>? _behaviour;
    private OcppServer? _server;

    private Csms(OcppServerOptions options, Func<OcppCallContext, Seen, ValueTask<OcppReply>>? behaviour)
    {
        _options = options;
        _behaviour = behaviour;
    }

    public ConcurrentQueue<Seen> Seen { get; } = new();

    public int Port { get; private set; }

    public OcppServer Server => _server ?? throw new InvalidOperationException("The CSMS is stopped.");

    public bool IsRunning => _server is not null;

    public Uri Endpoint => new($"ws://127.0.0.1:{Port}/ocpp");

    /// <summary>Starts a CSMS; <paramref name="filter"/> (a duplicate-call filter) is kept across restarts.</summary>
    public static async Task<Csms> StartAsync(OcppDuplicateCallFilter? filter = null, Func<OcppCallContext, Seen, ValueTask<OcppReply>>? behaviour = null, OcppServerOptions? options = null, int port = 0)
    {
        options ??= new OcppServerOptions();
        if (filter is not null)
        {
            options = options with { Connection = options.Connection with { CallFilters = [filter, .. options.Connection.CallFilters] } };
        }

        var csms = new Csms(options, behaviour) { Port = port };
        await csms.StartAsync();
        return csms;
    }

    public async Task StartAsync()
    {
        var server = new OcppServer(_options);
        foreach (string action in new[] { "StartTransaction", "StopTransaction", "MeterValues", "TransactionEvent", "StatusNotification", "Heartbeat", "BootNotification" })
        {
            server.Register(null, action, context => HandleAsync(context));
        }

        await server.ListenAsync(Port, IPAddress.Loopback);
        Port = server.Port!.Value;
        _server = server;
    }

    /// <summary>Stops the server: every station connection is dropped (in-flight answers are lost).</summary>
    public async Task StopAsync()
    {
        OcppServer? server = Interlocked.Exchange(ref _server, null);
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public IReadOnlyList<int> Seqs(string? identity = null) => [.. Seen.Where(s => identity is null || s.Identity == identity).Select(s => s.Seq)];

    public async ValueTask DisposeAsync() => await StopAsync();

    private ValueTask<OcppReply> HandleAsync(OcppCallContext context)
    {
        int seq = -1;
        using (JsonDocument payload = JsonDocument.Parse(context.Payload))
        {
            if (payload.RootElement.ValueKind == JsonValueKind.Object && payload.RootElement.TryGetProperty("seq", out JsonElement value))
            {
                seq = value.GetInt32();
            }
        }

        var seen = new Seen(context.Identity ?? "", context.MessageId, context.Action, seq);
        Seen.Enqueue(seen);
        if (_behaviour is not null)
        {
            return _behaviour(context, seen);
        }

        return ValueTask.FromResult(OcppReply.With(OcppPayload.FromJson($$"""{"seq":{{seq}}}""")));
    }
}

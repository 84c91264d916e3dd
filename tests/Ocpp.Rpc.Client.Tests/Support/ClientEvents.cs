using System.Collections.Concurrent;

namespace Ocpp.Rpc.Client.Tests.Support;

/// <summary>Records a client's events as short strings, in order.</summary>
internal sealed class ClientEvents
{
    private readonly ConcurrentQueue<string> _log = new();

    public ClientEvents(OcppClient client)
    {
        client.StateChanged += (_, e) => _log.Enqueue($"State:{e.Current}");
        client.Connected += (_, e) => _log.Enqueue(e.IsReconnect ? "Reconnected" : "Connected");
        client.Disconnected += (_, e) => _log.Enqueue($"Disconnected:{e.Code}:{(e.WillReconnect ? "retry" : "final")}");
        client.Reconnecting += (_, e) =>
        {
            _log.Enqueue($"Reconnecting:{e.Attempt}");
            Attempts.Enqueue(e);
        };
    }

    public ConcurrentQueue<OcppClientReconnectingEventArgs> Attempts { get; } = new();

    public IReadOnlyList<string> All => _log.ToArray();

    public bool Contains(string entry) => _log.Contains(entry);
}

// A station for the crash tests: enqueues --enqueue N transaction messages ({"seq":i}) into the SQLite store, prints
// ENQUEUED, connects (retrying until the CSMS is up), sends what the store holds and prints DONE <count>. The test
// kills it with SIGKILL at random points and starts it again on the same store with --enqueue 0.
using System.Globalization;
using Ocpp.Rpc;
using Ocpp.Rpc.Client;
using Ocpp.Rpc.Sqlite;

string url = Arg("--url") ?? throw new ArgumentException("--url is required.");
string storePath = Arg("--store") ?? throw new ArgumentException("--store is required.");
string identity = Arg("--identity") ?? "CP-CRASH";
int enqueue = int.Parse(Arg("--enqueue") ?? "0", CultureInfo.InvariantCulture);

using SqliteOcppMessageStore store = SqliteOcppMessageStore.Open(storePath);
await using var client = new OcppClient(new OcppClientOptions
{
    Endpoint = new Uri(url),
    Identity = identity,
    Protocols = [OcppProtocols.Ocpp16],
    KeepAliveInterval = TimeSpan.Zero,
    Reconnect = new OcppReconnectOptions { WaitMinimum = TimeSpan.FromMilliseconds(20), RandomRange = TimeSpan.Zero, RepeatTimes = 1 },
    MessageQueue = new OcppMessageQueueOptions { Store = store, MessageRetryInterval = TimeSpan.FromMilliseconds(10) },
});

for (int i = 0; i < enqueue; i++)
{
    await client.EnqueueAsync(i % 2 == 0 ? "MeterValues" : "StopTransaction", OcppPayload.FromJson($$"""{"connectorId":1,"transactionId":1,"seq":{{i}}}"""));
}

Console.WriteLine("ENQUEUED");
while (true)
{
    try
    {
        await client.ConnectAsync();
        break;
    }
    catch (OcppConnectException)
    {
        await Task.Delay(50);
    }
}

IReadOnlyList<OcppMessageHandle> queued = await client.GetQueuedMessagesAsync();
Console.WriteLine("SENDING " + queued.Count.ToString(CultureInfo.InvariantCulture));
await Task.WhenAll(queued.Select(h => h.Completion));
Console.WriteLine("DONE " + queued.Count.ToString(CultureInfo.InvariantCulture));
return 0;

string? Arg(string name)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

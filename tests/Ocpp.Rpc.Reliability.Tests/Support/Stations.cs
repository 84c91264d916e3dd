namespace Ocpp.Rpc.Reliability.Tests.Support;

internal static class Stations
{
    /// <summary>Client options for tests: quick reconnects without randomness, no keep-alive, a message queue on <paramref name="store"/>.</summary>
    public static OcppClientOptions Options(Uri endpoint, string identity, IOcppMessageStore? store, string protocol = OcppProtocols.Ocpp16, TimeProvider? time = null) => new()
    {
        Endpoint = endpoint,
        Identity = identity,
        Protocols = [protocol],
        KeepAliveInterval = TimeSpan.Zero,
        Reconnect = new OcppReconnectOptions { WaitMinimum = TimeSpan.FromMilliseconds(20), RandomRange = TimeSpan.Zero, RepeatTimes = 2 },
        Connection = new OcppConnectionOptions { CallTimeout = TimeSpan.FromSeconds(10) },
        MessageQueue = new OcppMessageQueueOptions { Store = store, MessageRetryInterval = TimeSpan.FromMilliseconds(10) },
        TimeProvider = time ?? TimeProvider.System,
    };

    public static OcppPayload Seq(int seq) => OcppPayload.FromJson($$"""{"connectorId":1,"transactionId":7,"seq":{{seq}}}""");
}

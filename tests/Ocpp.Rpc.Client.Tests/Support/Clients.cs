namespace Ocpp.Rpc.Client.Tests.Support;

/// <summary>Client options with test-friendly timings.</summary>
internal static class Clients
{
    public static readonly OcppReconnectOptions FastReconnect = new()
    {
        WaitMinimum = TimeSpan.FromMilliseconds(50),
        RandomRange = TimeSpan.FromMilliseconds(50),
        RepeatTimes = 2,
    };

    public static OcppClientOptions For(Uri endpoint, string identity = "CP-1", params string[] protocols) => new()
    {
        Endpoint = endpoint,
        Identity = identity,
        Protocols = protocols.Length > 0 ? protocols : [OcppProtocols.Ocpp16],
        Reconnect = FastReconnect,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        Connection = new OcppConnectionOptions { CallTimeout = TimeSpan.FromSeconds(5), CloseTimeout = TimeSpan.FromSeconds(1) },
    };
}

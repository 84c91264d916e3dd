using StackExchange.Redis;

namespace Ocpp.Rpc.Redis.Tests;

/// <summary>Cluster options with short intervals so tests about expiry and recovery run in seconds.</summary>
public static class TestOptions
{
    public static RedisClusterOptions Fast(string configuration, string prefix) => RedisClusterOptions.Default with
    {
        ConfigurationOptions = Configuration(configuration),
        Prefix = prefix,
        PresenceTtl = TimeSpan.FromSeconds(3),
        PresenceRefreshInterval = TimeSpan.FromSeconds(1),
        NodeHeartbeatTtl = TimeSpan.FromSeconds(1.5),
        HeartbeatInterval = TimeSpan.FromMilliseconds(400),
        OperationTimeout = TimeSpan.FromSeconds(2),
    };

    public static ConfigurationOptions Configuration(string configuration)
    {
        ConfigurationOptions options = ConfigurationOptions.Parse(configuration);
        options.ReconnectRetryPolicy = new LinearRetry(100);
        options.ConnectTimeout = 2000;
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return options;
    }
}

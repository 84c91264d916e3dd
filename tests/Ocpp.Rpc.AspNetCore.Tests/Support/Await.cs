namespace Ocpp.Rpc.AspNetCore.Tests.Support;

internal static class Await
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Completes with the first StationConnected event of the server.</summary>
    public static Task<OcppStationConnectedEventArgs> NextConnected(OcppServer server)
    {
        var tcs = new TaskCompletionSource<OcppStationConnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.StationConnected += (_, e) => tcs.TrySetResult(e);
        return tcs.Task.WaitAsync(Timeout);
    }

    /// <summary>Completes with the first StationDisconnected event of the server.</summary>
    public static Task<OcppStationDisconnectedEventArgs> NextDisconnected(OcppServer server)
    {
        var tcs = new TaskCompletionSource<OcppStationDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.StationDisconnected += (_, e) => tcs.TrySetResult(e);
        return tcs.Task.WaitAsync(Timeout);
    }

    /// <summary>Polls until the condition holds or the timeout passes.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan? within = null)
    {
        DateTime end = DateTime.UtcNow + (within ?? Timeout);
        while (!condition())
        {
            if (DateTime.UtcNow > end)
            {
                throw new TimeoutException("The condition did not hold in time.");
            }

            await Task.Delay(20);
        }
    }
}

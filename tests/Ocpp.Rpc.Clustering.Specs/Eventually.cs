namespace Ocpp.Rpc.Clustering.Specs;

/// <summary>Polls a condition that becomes true asynchronously (presence propagation), failing after a deadline.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<ValueTask<bool>> condition, string because, int timeoutMs = 5000)
    {
        DateTime deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {because}.");
            }

            await Task.Delay(20);
        }
    }
}

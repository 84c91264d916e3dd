namespace Ocpp.Rpc.Samples.Tests;

/// <summary>Polls a condition that the running samples make true sooner or later.</summary>
internal static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<T?> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(50);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        GetAsync(() => condition() ? string.Empty : null, what, timeout);
}

namespace Ocpp.Rpc.Hardening.Tests.Support;

internal static class Eventually
{
    /// <summary>Polls until the condition holds; fails with <paramref name="what"/> after <paramref name="within"/>.</summary>
    public static async Task HoldsAsync(Func<bool> condition, string what, TimeSpan? within = null)
    {
        DateTime end = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (!condition())
        {
            if (DateTime.UtcNow > end)
            {
                throw new TimeoutException("Did not happen in time: " + what);
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Awaits a task with a bound, failing clearly instead of hanging the run.</summary>
    public static async Task<T> Within<T>(this Task<T> task, TimeSpan within, string what)
    {
        try
        {
            return await task.WaitAsync(within);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new TimeoutException($"Did not complete within {within.TotalSeconds:0.#} s: {what}");
        }
    }

    public static async Task Within(this Task task, TimeSpan within, string what)
    {
        try
        {
            await task.WaitAsync(within);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new TimeoutException($"Did not complete within {within.TotalSeconds:0.#} s: {what}");
        }
    }
}

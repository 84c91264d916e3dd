namespace Ocpp.Rpc.Client.Tests.Support;

internal static class Wait
{
    /// <summary>Polls until the condition holds; fails the test after the timeout.</summary>
    public static async Task UntilAsync(Func<bool> condition, string because, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {because}.");
            }

            await Task.Delay(10);
        }
    }

    public static Task<T> Within<T>(this Task<T> task, int timeoutMs = 10_000) => task.WaitAsync(TimeSpan.FromMilliseconds(timeoutMs));

    public static Task Within(this Task task, int timeoutMs = 10_000) => task.WaitAsync(TimeSpan.FromMilliseconds(timeoutMs));
}

internal static class TimeSpanAssertions
{
    public static void ShouldBeBetween(this TimeSpan value, TimeSpan minimum, TimeSpan maximum) =>
        value.Should().BeGreaterThanOrEqualTo(minimum).And.BeLessThanOrEqualTo(maximum);
}

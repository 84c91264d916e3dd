namespace Ocpp.Rpc.Client.Tests;

/// <summary>The OCPP back-off formula, computed without a server or a clock.</summary>
public sealed class BackOffTests
{
    private static readonly OcppReconnectOptions Options = new()
    {
        WaitMinimum = TimeSpan.FromSeconds(3),
        RandomRange = TimeSpan.FromSeconds(10),
        RepeatTimes = 3,
    };

    [Fact]
    public void The_first_attempt_waits_the_minimum_plus_the_random_part()
    {
        Options.GetDelay(1, 0).Should().Be(TimeSpan.FromSeconds(3));
        Options.GetDelay(1, 0.5).Should().Be(TimeSpan.FromSeconds(8));
        Options.GetDelay(1, 1).Should().Be(TimeSpan.FromSeconds(13));
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 6)]
    [InlineData(3, 12)]
    [InlineData(4, 24)]
    [InlineData(5, 24)]
    [InlineData(50, 24)]
    public void The_base_doubles_up_to_repeat_times_then_stays_constant(int attempt, int expectedSeconds)
    {
        Options.GetDelay(attempt, 0).Should().Be(TimeSpan.FromSeconds(expectedSeconds));
        Options.GetDelay(attempt, 1).Should().Be(TimeSpan.FromSeconds(expectedSeconds + 10), "the random part is added, not doubled");
    }

    [Fact]
    public void Zero_repeat_times_keeps_the_minimum()
    {
        OcppReconnectOptions options = Options with { RepeatTimes = 0 };

        options.GetDelay(1, 0).Should().Be(TimeSpan.FromSeconds(3));
        options.GetDelay(7, 0).Should().Be(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void A_huge_repeat_count_does_not_overflow()
    {
        OcppReconnectOptions options = Options with { RepeatTimes = int.MaxValue };

        options.GetDelay(int.MaxValue, 1).Should().BeLessThanOrEqualTo(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Each_attempt_draws_a_new_random_value()
    {
        var random = new Random(42);
        TimeSpan[] delays = Enumerable.Range(0, 20).Select(_ => Options.GetDelay(5, random.NextDouble())).ToArray();

        delays.Should().OnlyContain(d => d >= TimeSpan.FromSeconds(24) && d <= TimeSpan.FromSeconds(34));
        delays.Distinct().Should().HaveCountGreaterThan(10);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        FluentActions.Invoking(() => Options.GetDelay(0, 0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => Options.GetDelay(1, -0.1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => Options.GetDelay(1, 1.1)).Should().Throw<ArgumentOutOfRangeException>();
    }
}

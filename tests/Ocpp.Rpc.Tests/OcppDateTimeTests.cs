using System.Text;
using Ocpp.Rpc.Tests.Shared;

namespace Ocpp.Rpc.Tests;

public sealed class OcppDateTimeTests
{
    [Theory]
    [MemberData(nameof(DateTimeCases.All), MemberType = typeof(DateTimeCases))]
    public void Reads_each_case_as_the_table_says_from_UTF8_and_from_text(string text, string? expected)
    {
        bool fromUtf8 = OcppDateTime.TryParse(Encoding.UTF8.GetBytes(text), out DateTimeOffset value);
        bool fromText = OcppDateTime.TryParse(text.AsSpan(), out DateTimeOffset sameValue);

        fromUtf8.Should().Be(expected is not null);
        fromText.Should().Be(fromUtf8);
        OcppDateTime.IsValid(text).Should().Be(fromUtf8);
        if (expected is not null)
        {
            OcppDateTime.Format(value).Should().Be(expected);
            sameValue.Should().Be(value);
            sameValue.Offset.Should().Be(value.Offset);
        }
    }

    [Fact]
    public void What_it_writes_it_reads_back_exactly_on_random_values()
    {
        var random = new Random(20261203);
        Span<byte> buffer = stackalloc byte[OcppDateTime.MaxFormattedLength];
        for (int i = 0; i < 20_000; i++)
        {
            long ticks = random.NextInt64(DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay);
            ticks -= (i % 3) switch { 0 => ticks % TimeSpan.TicksPerSecond, 1 => ticks % TimeSpan.TicksPerMillisecond, _ => 0 };
            TimeSpan offset = i % 2 == 0 ? TimeSpan.Zero : TimeSpan.FromMinutes(random.Next(-14 * 60, (14 * 60) + 1));
            var value = new DateTimeOffset(ticks, offset);

            OcppDateTime.TryFormat(value, buffer, out int written).Should().BeTrue();
            OcppDateTime.TryParse(buffer[..written], out DateTimeOffset read).Should().BeTrue(Encoding.ASCII.GetString(buffer[..written]));
            read.Should().Be(value);
            read.Offset.Should().Be(offset);
        }
    }

    [Fact]
    public void TryFormat_into_a_short_buffer_writes_nothing_and_says_so()
    {
        var value = new DateTimeOffset(2025, 1, 31, 12, 0, 0, TimeSpan.Zero);
        byte[] small = new byte[19];
        OcppDateTime.TryFormat(value, small, out int written).Should().BeFalse();
        written.Should().Be(0);
        small.Should().OnlyContain(b => b == 0);

        byte[] exact = new byte[20];
        OcppDateTime.TryFormat(value, exact, out written).Should().BeTrue();
        Encoding.ASCII.GetString(exact, 0, written).Should().Be("2025-01-31T12:00:00Z");
    }
}

using System.Text.Json;
using Ocpp.Rpc.Messages.Serialization;
using Ocpp.Rpc.Tests.Shared;
using V16 = Ocpp.Rpc.Messages.V16;

namespace Ocpp.Rpc.Messages.Tests;

public sealed class DateTimeTests
{
    private static string Response(string time) => $$"""{"status":"Accepted","currentTime":"{{time}}","interval":300}""";

    [Theory]
    [InlineData("2025-01-31T12:34:56Z")]
    [InlineData("2025-01-31T12:34:56.789Z")]
    [InlineData("2025-01-31T12:34:56.001Z")]
    [InlineData("2025-01-31T12:34:56.100Z")]
    [InlineData("2025-01-31T12:34:56+02:00")]
    [InlineData("2025-01-31T12:34:56.5-05:30")]
    [InlineData("2025-01-31T12:34:56.1234567+14:00")]
    public void Round_trips_with_and_without_millis_and_with_offsets(string time)
    {
        var value = JsonSerializer.Deserialize(Response(time), V16.BootNotificationRequest.ResponseTypeInfo)!;
        var output = JsonSerializer.Serialize(value, V16.BootNotificationRequest.ResponseTypeInfo);

        var parsed = DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture);
        value.CurrentTime.Should().Be(parsed);
        value.CurrentTime.Offset.Should().Be(parsed.Offset);
        output.Should().Contain($"\"currentTime\":\"{Expected(time)}\"");
    }

    // Writing keeps milliseconds as three digits and finer fractions without trailing zeros.
    private static string Expected(string time) => time switch
    {
        "2025-01-31T12:34:56.5-05:30" => "2025-01-31T12:34:56.500-05:30",
        _ => time,
    };

    [Fact]
    public void Fraction_digits_beyond_100_ns_are_dropped()
    {
        var value = JsonSerializer.Deserialize(Response("2025-01-31T12:34:56.123456789Z"), V16.BootNotificationRequest.ResponseTypeInfo)!;
        value.CurrentTime.Should().Be(new DateTimeOffset(2025, 1, 31, 12, 34, 56, TimeSpan.Zero).AddTicks(1234567));
        JsonSerializer.Serialize(value, V16.BootNotificationRequest.ResponseTypeInfo).Should().Contain("\"2025-01-31T12:34:56.1234567Z\"");
    }

    [Fact]
    public void Writing_matches_the_format_strings_it_replaces_on_random_values()
    {
        // The writer formats digits by hand; the reference is the custom format strings it replaced.
        var random = new Random(20261123);
        for (var i = 0; i < 20_000; i++)
        {
            var ticks = random.NextInt64(DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay);
            ticks = (i % 4) switch
            {
                0 => ticks - (ticks % TimeSpan.TicksPerSecond), // whole seconds
                1 => ticks - (ticks % TimeSpan.TicksPerMillisecond), // whole milliseconds
                2 => ticks - (ticks % (TimeSpan.TicksPerMillisecond / 10)), // trailing zeros below the millisecond
                _ => ticks,
            };
            var offset = i % 3 == 0 ? TimeSpan.Zero : TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1));
            var value = new DateTimeOffset(ticks, offset);
            OcppDateTimeOffsetConverter.Format(value).Should().Be(Reference(value), "ticks {0}, offset {1}", ticks, offset);
        }

        OcppDateTimeOffsetConverter.Format(new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero)).Should().Be("0001-01-01T00:00:00Z");
        OcppDateTimeOffsetConverter.Format(new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.FromMinutes(30)).AddTicks(9_999_999)).Should().Be("9999-12-31T23:59:59.9999999+00:30");
        OcppDateTimeOffsetConverter.Format(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1)).Should().Be("2025-01-01T00:00:00.0000001Z");
    }

    private static string Reference(DateTimeOffset value)
    {
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        var text = value.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss", culture);
        var fraction = value.Ticks % TimeSpan.TicksPerSecond;
        if (fraction != 0)
        {
            text += value.ToString(fraction % TimeSpan.TicksPerMillisecond == 0 ? ".fff" : ".FFFFFFF", culture);
        }

        return text + (value.Offset == TimeSpan.Zero ? "Z" : value.ToString("zzz", culture));
    }

    [Fact]
    public void Utc_is_written_as_Z_and_whole_seconds_without_fraction()
    {
        OcppDateTimeOffsetConverter.Format(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero)).Should().Be("2025-03-01T08:00:00Z");
        OcppDateTimeOffsetConverter.Format(new DateTimeOffset(2025, 3, 1, 8, 0, 0, 7, TimeSpan.Zero)).Should().Be("2025-03-01T08:00:00.007Z");
        OcppDateTimeOffsetConverter.Format(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.FromHours(-3))).Should().Be("2025-03-01T08:00:00-03:00");
        JsonSerializer.Deserialize(Response("2025-03-01T08:00:00+00:00"), V16.BootNotificationRequest.ResponseTypeInfo)!
            .CurrentTime.Offset.Should().Be(TimeSpan.Zero);
    }

    [Theory]
    [InlineData("2025-01-31T12:34:56")]
    [InlineData("2025-01-31")]
    [InlineData("2025-01-31 12:34:56Z")]
    [InlineData("31/01/2025 12:34:56Z")]
    [InlineData("")]
    [InlineData("not a date")]
    public void Rejects_values_that_are_not_RFC_3339_with_offset(string time)
    {
        var act = () => JsonSerializer.Deserialize(Response(time), V16.BootNotificationRequest.ResponseTypeInfo);
        act.Should().Throw<JsonException>();
    }

    [Fact]
    public void Optional_date_time_is_omitted_when_null()
    {
        var request = new V16.StartTransactionRequest { ConnectorId = 1, IdTag = "tag", MeterStart = 0, Timestamp = DateTimeOffset.UnixEpoch };
        JsonSerializer.Serialize(new V16.AuthorizeResponse { IdTagInfo = new V16.IdTagInfo { Status = V16.AuthorizationStatus.Accepted } }, V16.AuthorizeRequest.ResponseTypeInfo)
            .Should().Be("""{"idTagInfo":{"status":"Accepted"}}""");
        JsonSerializer.Serialize(request, V16.StartTransactionRequest.RequestTypeInfo)
            .Should().Be("""{"connectorId":1,"idTag":"tag","meterStart":0,"timestamp":"1970-01-01T00:00:00Z"}""");
    }

    // The same table strict mode is tested with: what passes validation deserializes, to this value.
    [Theory]
    [MemberData(nameof(DateTimeCases.All), MemberType = typeof(DateTimeCases))]
    public void Reads_each_case_as_strict_mode_decides_it(string time, string? expected)
    {
        var act = () => JsonSerializer.Deserialize(Response(time), V16.BootNotificationRequest.ResponseTypeInfo)!.CurrentTime;
        if (expected is null)
        {
            act.Should().Throw<JsonException>();
            return;
        }

        OcppDateTimeOffsetConverter.Format(act()).Should().Be(expected);

        // Escaped in the JSON ("T" as \u0054): the same value.
        string escaped = Response(time).Replace(time, time[..10] + "\\u0054" + time[11..], StringComparison.Ordinal);
        var fromEscaped = JsonSerializer.Deserialize(escaped, V16.BootNotificationRequest.ResponseTypeInfo)!.CurrentTime;
        fromEscaped.Should().Be(act());
        fromEscaped.Offset.Should().Be(act().Offset);
    }

    [Fact]
    public void Writes_without_allocating_strings()
    {
        var response = new V16.HeartbeatResponse { CurrentTime = new DateTimeOffset(2025, 1, 31, 12, 34, 56, 789, TimeSpan.FromHours(2)) };
        using var stream = new MemoryStream();
        using var writer = new Utf8JsonWriter(stream);
        JsonSerializer.Serialize(writer, response, V16.HeartbeatRequest.ResponseTypeInfo);
        writer.Reset();
        stream.SetLength(0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            JsonSerializer.Serialize(writer, response, V16.HeartbeatRequest.ResponseTypeInfo);
            writer.Reset();
            stream.SetLength(0);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(100 * 24);
        OcppDateTimeOffsetConverter.Format(response.CurrentTime).Should().Be("2025-01-31T12:34:56.789+02:00");
    }
}

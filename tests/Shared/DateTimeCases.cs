namespace Ocpp.Rpc.Tests.Shared;

/// <summary>
/// The one table of RFC 3339 <c>date-time</c> cases, linked into the core, strict-mode and typed-message tests: each
/// text with what <c>OcppDateTime</c> reads, written back (null: rejected). Strict mode and the typed serializer must
/// both decide every case this way.
/// </summary>
internal static class DateTimeCases
{
    public static TheoryData<string, string?> All { get; } = new()
    {
        { "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z" },
        { "2024-01-01T00:00:00.123+02:00", "2024-01-01T00:00:00.123+02:00" },
        { "2024-01-01T00:00:00.1Z", "2024-01-01T00:00:00.100Z" },
        { "2025-01-31T12:34:56.5-05:30", "2025-01-31T12:34:56.500-05:30" },
        { "2025-01-31T12:34:56.0000001Z", "2025-01-31T12:34:56.0000001Z" },
        { "2024-01-01T23:59:59.123456789-05:30", "2024-01-01T23:59:59.1234567-05:30" }, // beyond 100 ns: dropped
        { "2024-01-01T00:00:00." + new string('1', 60) + "Z", "2024-01-01T00:00:00.1111111Z" },
        { "2024-01-01t00:00:00z", "2024-01-01T00:00:00Z" }, // RFC 3339 §5.6: T and Z may be lower case
        { "2025-01-31T12:34:56z", "2025-01-31T12:34:56Z" },
        { "2024-02-29T12:00:00Z", "2024-02-29T12:00:00Z" }, // leap year
        { "2000-02-29T12:00:00Z", "2000-02-29T12:00:00Z" }, // divisible by 400
        { "2025-01-31T12:34:56+14:00", "2025-01-31T12:34:56+14:00" },
        { "2025-01-31T12:34:56+14:01", "2025-01-30T22:33:56Z" }, // beyond what DateTimeOffset holds: the same instant in UTC
        { "2024-12-31T23:59:59+23:59", "2024-12-31T00:00:59Z" },
        { "2025-01-31T12:34:56-00:00", "2025-01-31T12:34:56Z" },
        { "0001-01-01T00:00:00-00:00", "0001-01-01T00:00:00Z" },
        { "0001-01-01T00:30:00+00:30", "0001-01-01T00:30:00+00:30" },
        { "9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59.9999999Z" },
        { "9999-12-31T23:30:00-00:29", "9999-12-31T23:30:00-00:29" },

        { "2024-01-01T00:00:00", null }, // no offset
        { "2024-01-01T00:00:00.123", null },
        { "2024-13-01T00:00:00Z", null }, // month 13
        { "2024-00-01T00:00:00Z", null },
        { "2024-01-00T00:00:00Z", null },
        { "2024-04-31T00:00:00Z", null }, // April has 30 days
        { "2023-02-29T00:00:00Z", null }, // not a leap year
        { "1900-02-29T00:00:00Z", null }, // divisible by 100, not by 400
        { "2024-01-01T24:00:00Z", null },
        { "2024-01-01T00:60:00Z", null },
        { "2024-01-01T00:00:60Z", null }, // leap second: not representable in .NET
        { "0000-01-01T00:00:00Z", null }, // year 0: not representable
        { "0001-01-01T00:30:00+01:00", null }, // before 0001-01-01 UTC
        { "9999-12-31T23:30:00-01:00", null }, // after 9999-12-31 UTC
        { "2024-01-01T00:00Z", null }, // no seconds
        { "2024-01-01 00:00:00Z", null }, // space instead of T
        { "2024-01-01", null },
        { "2024-01-01T00:00:00.Z", null }, // empty fraction
        { "2024-01-01T00:00:00+0200", null },
        { "2024-01-01T00:00:00+02", null },
        { "2024-01-01T00:00:00+24:00", null },
        { "2024-01-01T00:00:00+02:60", null },
        { "2024-01-01T00:00:00Z ", null },
        { " 2024-01-01T00:00:00Z", null },
        { "2024-1-01T00:00:00Z", null },
        { "24-01-01T00:00:00Z", null },
        { "+2025-01-31T12:34:56Z", null },
        { "2024-01-01T00:00:00ZZ", null },
        { "2025-01-31T12:34:5xZ", null },
        { "31/01/2025 12:34:56Z", null },
        { "２０２４-01-01T00:00:00Z", null }, // non-ASCII digits
        { "not a date", null },
        { "", null },
    };
}

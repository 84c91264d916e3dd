namespace Ocpp.Rpc.Tests;

public class ErrorCodeTests
{
    private static readonly string[] Codes16 = ["NotImplemented", "NotSupported", "InternalError", "ProtocolError", "SecurityError", "FormationViolation", "PropertyConstraintViolation", "OccurenceConstraintViolation", "TypeConstraintViolation", "GenericError"];
    private static readonly string[] Codes2x = ["FormatViolation", "GenericError", "InternalError", "MessageTypeNotSupported", "NotImplemented", "NotSupported", "OccurrenceConstraintViolation", "PropertyConstraintViolation", "ProtocolError", "RpcFrameworkError", "SecurityError", "TypeConstraintViolation"];

    [Fact]
    public void Spells_1_6_codes_with_the_official_typos()
    {
        OcppErrorCodes.ToWire(OcppErrorCode.FormatViolation, OcppDialect.Ocpp16).Should().Be("FormationViolation");
        OcppErrorCodes.ToWire(OcppErrorCode.OccurrenceConstraintViolation, OcppDialect.Ocpp16).Should().Be("OccurenceConstraintViolation");
        OcppErrorCodes.ToWire(OcppErrorCode.RpcFrameworkError, OcppDialect.Ocpp16).Should().Be("ProtocolError");
        OcppErrorCodes.ToWire(OcppErrorCode.MessageTypeNotSupported, OcppDialect.Ocpp16).Should().Be("NotSupported");
    }

    [Theory]
    [InlineData(OcppDialect.Ocpp201)]
    [InlineData(OcppDialect.Ocpp21)]
    public void Spells_2_x_codes(OcppDialect dialect)
    {
        OcppErrorCodes.ToWire(OcppErrorCode.FormatViolation, dialect).Should().Be("FormatViolation");
        OcppErrorCodes.ToWire(OcppErrorCode.OccurrenceConstraintViolation, dialect).Should().Be("OccurrenceConstraintViolation");
        OcppErrorCodes.ToWire(OcppErrorCode.RpcFrameworkError, dialect).Should().Be("RpcFrameworkError");
        OcppErrorCodes.ToWire(OcppErrorCode.MessageTypeNotSupported, dialect).Should().Be("MessageTypeNotSupported");
    }

    [Fact]
    public void Every_code_maps_into_exactly_the_version_s_code_set()
    {
        foreach (OcppErrorCode code in Enum.GetValues<OcppErrorCode>())
        {
            Codes16.Should().Contain(OcppErrorCodes.ToWire(code, OcppDialect.Ocpp16));
            Codes2x.Should().Contain(OcppErrorCodes.ToWire(code, OcppDialect.Ocpp201));
        }

        Codes16.Select(c => OcppErrorCodes.FromWire(c)).Should().OnlyHaveUniqueItems().And.NotContain(OcppErrorCode.Unknown);
        Codes2x.Select(c => OcppErrorCodes.FromWire(c)).Should().OnlyHaveUniqueItems().And.NotContain(OcppErrorCode.Unknown);
        Codes16.Should().OnlyContain(c => OcppErrorCodes.IsDefined(c, OcppDialect.Ocpp16));
        Codes2x.Should().OnlyContain(c => OcppErrorCodes.IsDefined(c, OcppDialect.Ocpp21));
        OcppErrorCodes.IsDefined("FormationViolation", OcppDialect.Ocpp201).Should().BeFalse();
        OcppErrorCodes.IsDefined("RpcFrameworkError", OcppDialect.Ocpp16).Should().BeFalse();
    }

    [Fact]
    public void Parses_both_spellings_and_keeps_unknown_ones_unknown()
    {
        OcppErrorCodes.FromWire("FormationViolation").Should().Be(OcppErrorCode.FormatViolation);
        OcppErrorCodes.FromWire("OccurenceConstraintViolation").Should().Be(OcppErrorCode.OccurrenceConstraintViolation);
        OcppErrorCodes.FromWire("notimplemented").Should().Be(OcppErrorCode.Unknown, "codes are case-sensitive");
        OcppErrorCodes.FromWire("VendorSpecific").Should().Be(OcppErrorCode.Unknown);
    }

    [Fact]
    public void Creates_one_exception_type_per_code()
    {
        foreach (OcppErrorCode code in Enum.GetValues<OcppErrorCode>())
        {
            OcppRpcException ex = OcppRpcException.Create(code, null, "d", null);
            ex.Code.Should().Be(code);
            if (code != OcppErrorCode.Unknown)
            {
                ex.GetType().Name.Should().Be($"Ocpp{code}Exception");
            }
        }

        new OcppSecurityErrorException("nope").Message.Should().Be("SecurityError: nope");
    }
}

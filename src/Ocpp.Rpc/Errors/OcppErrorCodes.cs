namespace Ocpp.Rpc;

/// <summary>Spells <see cref="OcppErrorCode"/> values per OCPP version and parses wire spellings back.</summary>
public static class OcppErrorCodes
{
    /// <summary>
    /// The wire spelling of <paramref name="code"/> for <paramref name="dialect"/>. The 1.6 spellings are the
    /// official ones, typos included. 2.x-only codes map to their nearest 1.6 code: MessageTypeNotSupported to
    /// NotSupported, RpcFrameworkError to ProtocolError.
    /// </summary>
    /// <param name="code">The version-neutral code.</param>
    /// <param name="dialect">The dialect of the connection.</param>
    public static string ToWire(OcppErrorCode code, OcppDialect dialect)
    {
        if (dialect == OcppDialect.Ocpp16)
        {
            return code switch
            {
                OcppErrorCode.NotImplemented => "NotImplemented",
                OcppErrorCode.NotSupported or OcppErrorCode.MessageTypeNotSupported => "NotSupported",
                OcppErrorCode.InternalError => "InternalError",
                OcppErrorCode.ProtocolError or OcppErrorCode.RpcFrameworkError => "ProtocolError",
                OcppErrorCode.SecurityError => "SecurityError",
                OcppErrorCode.FormatViolation => "FormationViolation",
                OcppErrorCode.PropertyConstraintViolation => "PropertyConstraintViolation",
                OcppErrorCode.OccurrenceConstraintViolation => "OccurenceConstraintViolation",
                OcppErrorCode.TypeConstraintViolation => "TypeConstraintViolation",
                _ => "GenericError",
            };
        }

        return code switch
        {
            OcppErrorCode.NotImplemented => "NotImplemented",
            OcppErrorCode.NotSupported => "NotSupported",
            OcppErrorCode.InternalError => "InternalError",
            OcppErrorCode.ProtocolError => "ProtocolError",
            OcppErrorCode.SecurityError => "SecurityError",
            OcppErrorCode.FormatViolation => "FormatViolation",
            OcppErrorCode.PropertyConstraintViolation => "PropertyConstraintViolation",
            OcppErrorCode.OccurrenceConstraintViolation => "OccurrenceConstraintViolation",
            OcppErrorCode.TypeConstraintViolation => "TypeConstraintViolation",
            OcppErrorCode.MessageTypeNotSupported => "MessageTypeNotSupported",
            OcppErrorCode.RpcFrameworkError => "RpcFrameworkError",
            _ => "GenericError",
        };
    }

    /// <summary>
    /// Parses a wire spelling (any version's, case-sensitive) into a code; unknown spellings give
    /// <see cref="OcppErrorCode.Unknown"/>.
    /// </summary>
    /// <param name="wire">The errorCode string of a CALLERROR or CALLRESULTERROR.</param>
    public static OcppErrorCode FromWire(string? wire) => wire switch
    {
        "NotImplemented" => OcppErrorCode.NotImplemented,
        "NotSupported" => OcppErrorCode.NotSupported,
        "InternalError" => OcppErrorCode.InternalError,
        "ProtocolError" => OcppErrorCode.ProtocolError,
        "SecurityError" => OcppErrorCode.SecurityError,
        "FormatViolation" or "FormationViolation" => OcppErrorCode.FormatViolation,
        "PropertyConstraintViolation" => OcppErrorCode.PropertyConstraintViolation,
        "OccurrenceConstraintViolation" or "OccurenceConstraintViolation" => OcppErrorCode.OccurrenceConstraintViolation,
        "TypeConstraintViolation" => OcppErrorCode.TypeConstraintViolation,
        "GenericError" => OcppErrorCode.GenericError,
        "MessageTypeNotSupported" => OcppErrorCode.MessageTypeNotSupported,
        "RpcFrameworkError" => OcppErrorCode.RpcFrameworkError,
        _ => OcppErrorCode.Unknown,
    };

    /// <summary>Whether <paramref name="wire"/> is one of the codes defined for <paramref name="dialect"/>.</summary>
    /// <param name="wire">A wire spelling.</param>
    /// <param name="dialect">The dialect to check against.</param>
    public static bool IsDefined(string wire, OcppDialect dialect)
    {
        OcppErrorCode code = FromWire(wire);
        return code != OcppErrorCode.Unknown && string.Equals(ToWire(code, dialect), wire, StringComparison.Ordinal);
    }
}

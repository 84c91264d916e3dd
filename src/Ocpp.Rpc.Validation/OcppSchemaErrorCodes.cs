namespace Ocpp.Rpc.Validation;

/// <summary>The default mapping from <see cref="OcppSchemaViolation"/> to <see cref="OcppErrorCode"/>.</summary>
/// <remarks>
/// OCPP-J does not fix how a schema failure maps to an error code; this is the library's documented choice.
/// The same version-neutral code is used for every dialect; the engine spells it for the wire
/// (1.6: <c>FormationViolation</c>, <c>OccurenceConstraintViolation</c>).
/// <list type="table">
/// <listheader><term>Violation</term><description>Error code</description></listheader>
/// <item><term><see cref="OcppSchemaViolation.InvalidJson"/>, <see cref="OcppSchemaViolation.NotAnObject"/></term>
/// <description><see cref="OcppErrorCode.FormatViolation"/></description></item>
/// <item><term><see cref="OcppSchemaViolation.Type"/></term>
/// <description><see cref="OcppErrorCode.TypeConstraintViolation"/></description></item>
/// <item><term><see cref="OcppSchemaViolation.Required"/>, <see cref="OcppSchemaViolation.ArrayLength"/></term>
/// <description><see cref="OcppErrorCode.OccurrenceConstraintViolation"/></description></item>
/// <item><term><see cref="OcppSchemaViolation.Enum"/>, <see cref="OcppSchemaViolation.Pattern"/>,
/// <see cref="OcppSchemaViolation.Length"/>, <see cref="OcppSchemaViolation.Range"/>,
/// <see cref="OcppSchemaViolation.MultipleOf"/>, <see cref="OcppSchemaViolation.Format"/>,
/// <see cref="OcppSchemaViolation.AdditionalProperty"/>, <see cref="OcppSchemaViolation.Other"/></term>
/// <description><see cref="OcppErrorCode.PropertyConstraintViolation"/></description></item>
/// </list>
/// </remarks>
public static class OcppSchemaErrorCodes
{
    /// <summary>Maps a violation to its default error code (see the table in the remarks); the dialect is not used.</summary>
    /// <param name="violation">The kind of the first schema violation in the payload.</param>
    /// <param name="dialect">The dialect of the connection.</param>
    /// <returns>The error code to report.</returns>
    public static OcppErrorCode Default(OcppSchemaViolation violation, OcppDialect dialect) => violation switch
    {
        OcppSchemaViolation.InvalidJson or OcppSchemaViolation.NotAnObject => OcppErrorCode.FormatViolation,
        OcppSchemaViolation.Type => OcppErrorCode.TypeConstraintViolation,
        OcppSchemaViolation.Required or OcppSchemaViolation.ArrayLength => OcppErrorCode.OccurrenceConstraintViolation,
        _ => OcppErrorCode.PropertyConstraintViolation,
    };
}

namespace Ocpp.Rpc.Validation.Internal;

/// <summary>One schema violation: where (<c>meterValue[0].timestamp</c>, <c>$</c> for the payload), what kind, and a short text that never quotes a payload value.</summary>
/// <param name="Path">The path of the value in the payload.</param>
/// <param name="Violation">The kind.</param>
/// <param name="Message">The human-readable text.</param>
internal readonly record struct SchemaError(string Path, OcppSchemaViolation Violation, string Message)
{
    /// <summary>The path of the payload itself.</summary>
    public const string RootPath = "$";
}

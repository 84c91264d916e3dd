using System.Text;
using System.Text.Json.Nodes;

namespace Ocpp.Rpc.Validation.Tests;

internal static class Shared
{
    /// <summary>One validator for the schema-driven tests, so each schema is compiled once for the whole run.</summary>
    public static readonly OcppSchemaValidator Validator = new();

    public static OcppValidationFailure? Validate(this IOcppPayloadValidator validator, string protocol, string action, OcppPayloadKind kind, string json) =>
        validator.Validate(protocol, action, kind, Encoding.UTF8.GetBytes(json));

    public static OcppValidationFailure? Validate(this IOcppPayloadValidator validator, string protocol, string action, OcppPayloadKind kind, JsonNode json) =>
        validator.Validate(protocol, action, kind, Encoding.UTF8.GetBytes(json.ToJsonString()));
}

using System.Collections.Concurrent;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;
using Ocpp.Rpc.Validation.Internal;

namespace Ocpp.Rpc.Validation.Tests.Reference;

/// <summary>
/// NJsonSchema, as strict mode used it before it had its own reader and evaluator: the independent implementation
/// that the shipped validator is compared with (tests only; the package does not depend on it).
/// </summary>
internal static class NJsonSchemaReference
{
    private static readonly JsonSchemaValidatorSettings Settings = CreateSettings();
    private static readonly JsonSchemaValidator Validator = new(Settings);
    private static readonly ConcurrentDictionary<string, JsonSchema> Schemas = new(StringComparer.Ordinal);

    /// <summary>The reference result for an official schema: <see langword="null"/> when valid, else every error as <c>path: Violation</c>.</summary>
    public static ReferenceResult? Validate(string protocol, string action, OcppPayloadKind kind, ReadOnlySpan<byte> payload) =>
        ValidateWith(BuiltInSchemas.Get(protocol)!.GetSchemaText(action, kind)!, payload);

    /// <summary>The reference result for a schema given as text.</summary>
    public static ReferenceResult? ValidateWith(string schemaText, ReadOnlySpan<byte> payload)
    {
        JsonSchema schema = Schemas.GetOrAdd(schemaText, text => JsonSchema.FromJsonAsync(text).GetAwaiter().GetResult());
        JToken? token = NewtonsoftPayloadParser.TryParse(payload, out string? parseError);
        if (token is null)
        {
            return new ReferenceResult([new ReferenceError("$", OcppSchemaViolation.InvalidJson, "invalid JSON (" + parseError + ")")]);
        }

        if (token.Type == JTokenType.Null)
        {
            token = new JObject();
        }
        else if (token.Type != JTokenType.Object)
        {
            return new ReferenceResult([new ReferenceError("$", OcppSchemaViolation.NotAnObject, "payload must be a JSON object")]);
        }

        ICollection<ValidationError> errors = Validator.Validate(token, schema);
        return errors.Count == 0 ? null : new ReferenceResult(NJsonSchemaErrors.Flatten(errors));
    }

    private static JsonSchemaValidatorSettings CreateSettings()
    {
        var settings = new JsonSchemaValidatorSettings { PropertyStringComparer = StringComparer.Ordinal };
        settings.FormatValidators = [.. settings.FormatValidators.Where(v => v.Format != "date-time"), new StrictDateTimeFormatValidator()];
        return settings;
    }
}

/// <summary>NJsonSchema's errors, flattened and mapped to our violation kinds.</summary>
/// <param name="Errors">Each error.</param>
internal sealed record ReferenceResult(List<ReferenceError> Errors)
{
    /// <summary>Each error as <c>path: Violation</c>, as <see cref="OcppValidationFailure.Errors"/> lists them.</summary>
    public string[] Lines => [.. Errors.Select(e => e.Path + ": " + e.Violation)];
}

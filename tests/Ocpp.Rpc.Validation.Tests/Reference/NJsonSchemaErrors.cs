using NJsonSchema.Validation;

namespace Ocpp.Rpc.Validation.Tests.Reference;

/// <summary>One NJsonSchema error in our terms: where, what kind, and a short human-readable text.</summary>
internal readonly record struct ReferenceError(string Path, OcppSchemaViolation Violation, string Message);

/// <summary>Flattens NJsonSchema's error tree and maps its error kinds to <see cref="OcppSchemaViolation"/>.</summary>
internal static class NJsonSchemaErrors
{
    public const string RootPath = "$";

    public static List<ReferenceError> Flatten(ICollection<ValidationError> errors)
    {
        var result = new List<ReferenceError>(errors.Count);
        Add(errors, result);
        return result;
    }

    private static void Add(IEnumerable<ValidationError> errors, List<ReferenceError> result)
    {
        foreach (ValidationError error in errors)
        {
            // Containers whose children are the real violations: array items, additionalProperties / additionalItems
            // schemas, allOf. anyOf / oneOf are reported as one error: which branch was meant is unknown.
            if (error is ChildSchemaValidationError child
                && error.Kind is ValidationErrorKind.ArrayItemNotValid or ValidationErrorKind.AdditionalItemNotValid
                    or ValidationErrorKind.AdditionalPropertiesNotValid or ValidationErrorKind.NotAllOf
                && child.Errors.Any(e => e.Value.Count > 0))
            {
                foreach (KeyValuePair<NJsonSchema.JsonSchema, ICollection<ValidationError>> branch in child.Errors)
                {
                    Add(branch.Value, result);
                }

                continue;
            }

            result.Add(Map(error));
        }
    }

    private static ReferenceError Map(ValidationError error)
    {
        string path = NormalizePath(error.Path);
        NJsonSchema.JsonSchema? schema = error.Schema;
        (OcppSchemaViolation violation, string message) = error.Kind switch
        {
            ValidationErrorKind.PropertyRequired => (OcppSchemaViolation.Required, "required property is missing"),
            ValidationErrorKind.NoAdditionalPropertiesAllowed => (OcppSchemaViolation.AdditionalProperty, "property is not allowed"),
            ValidationErrorKind.StringExpected => (OcppSchemaViolation.Type, "must be a string"),
            ValidationErrorKind.IntegerExpected => (OcppSchemaViolation.Type, "must be an integer"),
            ValidationErrorKind.NumberExpected => (OcppSchemaViolation.Type, "must be a number"),
            ValidationErrorKind.BooleanExpected => (OcppSchemaViolation.Type, "must be a boolean"),
            ValidationErrorKind.ObjectExpected => (OcppSchemaViolation.Type, "must be an object"),
            ValidationErrorKind.ArrayExpected => (OcppSchemaViolation.Type, "must be an array"),
            ValidationErrorKind.NullExpected => (OcppSchemaViolation.Type, "must be null"),
            ValidationErrorKind.NoTypeValidates => (OcppSchemaViolation.Type, "has the wrong type"),
            ValidationErrorKind.NotInEnumeration => (OcppSchemaViolation.Enum, "value is not one of the allowed values"),
            ValidationErrorKind.PatternMismatch => (OcppSchemaViolation.Pattern, "does not match the pattern"),
            ValidationErrorKind.StringTooShort => (OcppSchemaViolation.Length, $"string is shorter than {schema?.MinLength} characters"),
            ValidationErrorKind.StringTooLong => (OcppSchemaViolation.Length, $"string is longer than {schema?.MaxLength} characters"),
            ValidationErrorKind.NumberTooSmall => (OcppSchemaViolation.Range, $"number is below the minimum {schema?.Minimum ?? schema?.ExclusiveMinimum}"),
            ValidationErrorKind.NumberTooBig or ValidationErrorKind.IntegerTooBig =>
                (OcppSchemaViolation.Range, $"number is above the maximum {schema?.Maximum ?? schema?.ExclusiveMaximum}"),
            ValidationErrorKind.NumberNotMultipleOf or ValidationErrorKind.IntegerNotMultipleOf =>
                (OcppSchemaViolation.MultipleOf, $"number is not a multiple of {schema?.MultipleOf}"),
            ValidationErrorKind.DateTimeExpected => (OcppSchemaViolation.Format, "must be an RFC 3339 date-time with offset"),
            ValidationErrorKind.UriExpected => (OcppSchemaViolation.Format, "must be an absolute URI"),
            ValidationErrorKind.DateExpected or ValidationErrorKind.TimeExpected or ValidationErrorKind.TimeSpanExpected
                or ValidationErrorKind.EmailExpected or ValidationErrorKind.HostnameExpected or ValidationErrorKind.IpV4Expected
                or ValidationErrorKind.IpV6Expected or ValidationErrorKind.GuidExpected or ValidationErrorKind.UuidExpected
                or ValidationErrorKind.Base64Expected =>
                (OcppSchemaViolation.Format, $"does not match the format '{schema?.Format}'"),
            ValidationErrorKind.TooFewItems => (OcppSchemaViolation.ArrayLength, $"array has fewer than {schema?.MinItems} items"),
            ValidationErrorKind.TooManyItems or ValidationErrorKind.TooManyItemsInTuple =>
                (OcppSchemaViolation.ArrayLength, $"array has more than {schema?.MaxItems} items"),
            _ => (OcppSchemaViolation.Other, $"violates the schema ({error.Kind})"),
        };

        return new ReferenceError(path, violation, message);
    }

    /// <summary><c>#/meterValue[0].timestamp</c> becomes <c>meterValue[0].timestamp</c>; the root is <c>$</c>.</summary>
    private static string NormalizePath(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return RootPath;
        }

        ReadOnlySpan<char> p = path.AsSpan();
        if (p.StartsWith("#/", StringComparison.Ordinal))
        {
            p = p[2..];
        }
        else if (p.StartsWith("#", StringComparison.Ordinal))
        {
            p = p[1..];
        }

        return p.IsEmpty ? RootPath : p.ToString();
    }
}

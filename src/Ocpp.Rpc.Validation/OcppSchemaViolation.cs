namespace Ocpp.Rpc.Validation;

/// <summary>
/// The kind of a schema violation, independent of the JSON Schema library used underneath.
/// <see cref="OcppSchemaValidatorOptions.ErrorCodeMapper"/> turns it into an <see cref="OcppErrorCode"/>.
/// </summary>
public enum OcppSchemaViolation
{
    /// <summary>Any other violation (e.g. <c>anyOf</c>, <c>oneOf</c>, <c>not</c>, <c>uniqueItems</c> in a custom schema).</summary>
    Other = 0,

    /// <summary>The payload is not well-formed JSON (or not valid UTF-8, or more than one JSON value).</summary>
    InvalidJson,

    /// <summary>The payload is well-formed JSON but not an object (nor <c>null</c>, which is read as <c>{}</c>).</summary>
    NotAnObject,

    /// <summary>A value has the wrong JSON type, e.g. a string where an integer is required.</summary>
    Type,

    /// <summary>A required property is missing.</summary>
    Required,

    /// <summary>A property that the schema does not allow (<c>additionalProperties: false</c>).</summary>
    AdditionalProperty,

    /// <summary>A value is not one of the schema's <c>enum</c> values (case-sensitive).</summary>
    Enum,

    /// <summary>A string does not match the schema's <c>pattern</c>.</summary>
    Pattern,

    /// <summary>A string is shorter than <c>minLength</c> or longer than <c>maxLength</c>.</summary>
    Length,

    /// <summary>A number is below <c>minimum</c> or above <c>maximum</c> (inclusive or exclusive).</summary>
    Range,

    /// <summary>A number is not a multiple of <c>multipleOf</c>.</summary>
    MultipleOf,

    /// <summary>A string does not match its <c>format</c> (<c>date-time</c> is checked strictly per RFC 3339, also <c>uri</c>).</summary>
    Format,

    /// <summary>An array has fewer items than <c>minItems</c> or more than <c>maxItems</c>.</summary>
    ArrayLength,
}

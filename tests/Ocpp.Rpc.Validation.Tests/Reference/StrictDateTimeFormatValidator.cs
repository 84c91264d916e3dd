using Newtonsoft.Json.Linq;
using NJsonSchema.Validation;
using NJsonSchema.Validation.FormatValidators;

namespace Ocpp.Rpc.Validation.Tests.Reference;

/// <summary>Replaces NJsonSchema's lax <c>date-time</c> check (which accepts a missing offset) with <see cref="OcppDateTime"/>, the parser the typed messages read with.</summary>
internal sealed class StrictDateTimeFormatValidator : IFormatValidator
{
    public string Format => "date-time";

    public ValidationErrorKind ValidationErrorKind => ValidationErrorKind.DateTimeExpected;

    public bool IsValid(string value, JTokenType tokenType) => value is not null && OcppDateTime.IsValid(value);
}

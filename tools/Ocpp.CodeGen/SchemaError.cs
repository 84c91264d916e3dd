namespace Ocpp.CodeGen;

/// <summary>One problem in a user's schema: the file, the JSON pointer of the offending value, and what is wrong.</summary>
/// <param name="File">The schema file as given on the command line.</param>
/// <param name="Pointer">A JSON pointer into the file, <c>#</c> for its root, e.g. <c>#/properties/text/$ref</c>.</param>
/// <param name="Message">What is wrong.</param>
public sealed record SchemaError(string File, string Pointer, string Message)
{
    /// <summary>The line the tool prints: <c>file: #/pointer: message</c>.</summary>
    public override string ToString() => $"{File}: {Pointer}: {Message}";

    /// <summary>Appends one reference token to a JSON pointer, escaping <c>~</c> and <c>/</c>.</summary>
    /// <param name="pointer">The pointer so far, e.g. <c>#/properties</c>.</param>
    /// <param name="token">The property name or array index.</param>
    public static string Combine(string pointer, string token)
    {
        ArgumentNullException.ThrowIfNull(pointer);
        ArgumentNullException.ThrowIfNull(token);
        return pointer + "/" + token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
    }
}

/// <summary>Thrown when schemas cannot be generated from; carries every error found.</summary>
public sealed class SchemaException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errors">The errors, at least one.</param>
    public SchemaException(IReadOnlyList<SchemaError> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception for one error.</summary>
    /// <param name="file">The file.</param>
    /// <param name="pointer">The JSON pointer.</param>
    /// <param name="message">What is wrong.</param>
    public SchemaException(string file, string pointer, string message)
        : this([new SchemaError(file, pointer, message)])
    {
    }

    /// <summary>Creates an exception with a plain message (used by serializers and tests).</summary>
    public SchemaException()
        : this([new SchemaError("?", "#", "invalid schema")])
    {
    }

    /// <summary>Creates an exception with a plain message.</summary>
    /// <param name="message">The message.</param>
    public SchemaException(string message)
        : this([new SchemaError("?", "#", message)])
    {
    }

    /// <summary>Creates an exception with a plain message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new SchemaError("?", "#", message)];
    }

    /// <summary>Every error found.</summary>
    public IReadOnlyList<SchemaError> Errors { get; }
}

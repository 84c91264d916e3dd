namespace Ocpp.CodeGen;

/// <summary>The C# type of a property.</summary>
public abstract record TypeRef
{
    /// <summary>The C# spelling, without nullability.</summary>
    public abstract string CSharp { get; }

    /// <summary>Whether the type is a value type (needs <c>?</c> to be nullable).</summary>
    public abstract bool IsValueType { get; }
}

/// <summary>A built-in type: <c>string</c>, <c>int</c>, <c>long</c>, <c>decimal</c>, <c>bool</c>, <c>DateTimeOffset</c>.</summary>
/// <param name="Name">The C# spelling.</param>
/// <param name="ValueType">Whether it is a value type.</param>
public sealed record PrimitiveRef(string Name, bool ValueType) : TypeRef
{
    /// <summary>A JSON string.</summary>
    public static PrimitiveRef String { get; } = new("string", false);

    /// <summary>A JSON integer within 32 bits.</summary>
    public static PrimitiveRef Int { get; } = new("int", true);

    /// <summary>A JSON integer that needs 64 bits.</summary>
    public static PrimitiveRef Long { get; } = new("long", true);

    /// <summary>A JSON number.</summary>
    public static PrimitiveRef Decimal { get; } = new("decimal", true);

    /// <summary>A JSON boolean.</summary>
    public static PrimitiveRef Bool { get; } = new("bool", true);

    /// <summary>A schema without a type: any JSON value.</summary>
    public static PrimitiveRef Any { get; } = new("JsonElement", true);

    /// <summary>A <c>date-time</c> string.</summary>
    public static PrimitiveRef DateTime { get; } = new("DateTimeOffset", true);

    /// <inheritdoc/>
    public override string CSharp => Name;

    /// <inheritdoc/>
    public override bool IsValueType => ValueType;
}

/// <summary>A generated record or enum.</summary>
/// <param name="Name">The generated type name.</param>
/// <param name="IsEnum">Whether it is an enum (a value type).</param>
public sealed record NamedRef(string Name, bool IsEnum) : TypeRef
{
    /// <inheritdoc/>
    public override string CSharp => Name;

    /// <inheritdoc/>
    public override bool IsValueType => IsEnum;
}

/// <summary>A JSON array, generated as <c>IReadOnlyList&lt;T&gt;</c>.</summary>
/// <param name="Item">The element type.</param>
public sealed record ArrayRef(TypeRef Item) : TypeRef
{
    /// <inheritdoc/>
    public override string CSharp => $"IReadOnlyList<{Item.CSharp}>";

    /// <inheritdoc/>
    public override bool IsValueType => false;
}

/// <summary>What kind of type is generated.</summary>
public enum ModelKind
{
    /// <summary>A record for a JSON object (shared type).</summary>
    Object,

    /// <summary>An enum with exact wire strings.</summary>
    Enum,

    /// <summary>A record for a whole message payload.</summary>
    Message,
}

/// <summary>One property of a generated record.</summary>
/// <param name="WireName">The exact JSON name.</param>
/// <param name="Name">The C# name.</param>
/// <param name="Type">The C# type.</param>
/// <param name="Required">Whether the schema requires it.</param>
/// <param name="Doc">The summary (escaped XML-doc text).</param>
/// <param name="Remarks">Remark lines (escaped XML-doc text).</param>
public sealed record ModelProperty(string WireName, string Name, TypeRef Type, bool Required, string Doc, IReadOnlyList<string> Remarks);

/// <summary>One generated type.</summary>
public sealed class ModelType
{
    /// <summary>The C# type name.</summary>
    public required string Name { get; init; }

    /// <summary>Record, enum or message.</summary>
    public required ModelKind Kind { get; init; }

    /// <summary>Summary (escaped XML-doc text).</summary>
    public required string Doc { get; init; }

    /// <summary>Remark lines (escaped XML-doc text).</summary>
    public IReadOnlyList<string> Remarks { get; init; } = [];

    /// <summary>Properties of a record, in schema order.</summary>
    public IReadOnlyList<ModelProperty> Properties { get; set; } = [];

    /// <summary>Wire values of an enum, in schema order.</summary>
    public IReadOnlyList<string> EnumValues { get; init; } = [];

    /// <summary>Whether unknown JSON properties are kept (<c>additionalProperties</c> not false).</summary>
    public bool IsOpen { get; init; }

    /// <summary>For messages: the action.</summary>
    public string? Action { get; init; }

    /// <summary>For vendor DataTransfer payloads: the vendor and message id.</summary>
    public DataTransferKey? DataTransfer { get; init; }

    /// <summary>For messages: the schema it was generated from.</summary>
    public SchemaMessage? Schema { get; init; }

    /// <summary>For messages: the direction.</summary>
    public MessageDirection Direction { get; init; }

    /// <summary>Where the type was first seen, e.g. <c>Authorize.conf/idTagInfo</c>.</summary>
    public required string Origin { get; init; }
}

/// <summary>Everything generated for one OCPP version.</summary>
/// <param name="Version">The version.</param>
/// <param name="Messages">Message records, ordered by action then direction.</param>
/// <param name="Types">Shared records and enums, ordered by name.</param>
public sealed record VersionModel(OcppVersion Version, IReadOnlyList<ModelType> Messages, IReadOnlyList<ModelType> Types)
{
    /// <summary>The actions, sorted ordinally.</summary>
    public IReadOnlyList<string> Actions => [.. Messages.Where(m => m.DataTransfer is null).Select(m => m.Action!).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>The messages that are actions of their own (not vendor DataTransfer payloads).</summary>
    public IReadOnlyList<ModelType> ActionMessages => [.. Messages.Where(m => m.DataTransfer is null)];
}

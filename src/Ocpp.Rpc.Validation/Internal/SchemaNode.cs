using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ocpp.Rpc.Validation.Internal;

/// <summary>The value kinds of a schema's <c>type</c> keyword.</summary>
[Flags]
internal enum SchemaTypes
{
    /// <summary>No <c>type</c> keyword: any value, with the constraints that apply to its kind.</summary>
    None = 0,

    /// <summary><c>object</c>.</summary>
    Object = 1,

    /// <summary><c>array</c>.</summary>
    Array = 2,

    /// <summary><c>string</c>.</summary>
    String = 4,

    /// <summary><c>integer</c>: an integer token (no fraction or exponent) of at most 64 bits.</summary>
    Integer = 8,

    /// <summary><c>number</c>: any number token.</summary>
    Number = 16,

    /// <summary><c>boolean</c>.</summary>
    Boolean = 32,

    /// <summary><c>null</c>.</summary>
    Null = 64,

    /// <summary>Every kind: what the fast path accepts for a schema without <c>type</c> (its object constraints are then not compiled).</summary>
    Any = Object | Array | String | Integer | Number | Boolean | Null,
}

/// <summary>
/// One schema, read by <see cref="SchemaReader"/> from JSON schema text and not changed afterwards; evaluated by
/// <see cref="SchemaEvaluator"/> and compiled to the fast path by <see cref="FastSchemaCompiler"/>. Local
/// <c>$ref</c>s are resolved while reading, so nodes may be shared and cyclic.
/// </summary>
internal sealed class SchemaNode
{
    /// <summary>Where the schema is in its document, as a JSON pointer (<c>#/definitions/IdTagInfo</c>).</summary>
    public string Location { get; set; } = "#";

    /// <summary>The <c>type</c> keyword.</summary>
    public SchemaTypes Types { get; set; }

    /// <summary>Whether a JSON <c>null</c> is allowed without further checks of type and enum (<c>null</c> among the types).</summary>
    public bool IsNullable => (Types & SchemaTypes.Null) != 0;

    /// <summary><c>properties</c>, in declaration order.</summary>
    public KeyValuePair<string, SchemaNode>[] Properties { get; set; } = [];

    /// <summary><c>required</c>, in declaration order, without duplicates.</summary>
    public string[] Required { get; set; } = [];

    /// <summary><c>patternProperties</c>.</summary>
    public KeyValuePair<Regex, SchemaNode>[] PatternProperties { get; set; } = [];

    /// <summary><c>additionalProperties</c>: <see langword="false"/> forbids undeclared properties.</summary>
    public bool AdditionalPropertiesAllowed { get; set; } = true;

    /// <summary><c>additionalProperties</c> given as a schema, or <see langword="null"/>.</summary>
    public SchemaNode? AdditionalProperties { get; set; }

    /// <summary><c>minProperties</c>, or 0.</summary>
    public int MinProperties { get; set; }

    /// <summary><c>maxProperties</c>, or <see langword="null"/>.</summary>
    public int? MaxProperties { get; set; }

    /// <summary><c>enum</c> values, or <see langword="null"/>.</summary>
    public JsonElement[]? Enum { get; set; }

    /// <summary>The <c>const</c> value, or <see langword="null"/>.</summary>
    public JsonElement? Const { get; set; }

    /// <summary><c>minLength</c>, in Unicode code points, or <see langword="null"/>.</summary>
    public int? MinLength { get; set; }

    /// <summary><c>maxLength</c>, in Unicode code points, or <see langword="null"/>.</summary>
    public int? MaxLength { get; set; }

    /// <summary><c>pattern</c>, compiled, or <see langword="null"/>.</summary>
    public Regex? Pattern { get; set; }

    /// <summary>The <c>format</c> when it is one that is checked.</summary>
    public StringFormat Format { get; set; }

    /// <summary>The <c>format</c> keyword as written, for messages.</summary>
    public string? FormatName { get; set; }

    /// <summary>Inclusive lower bound, or <see langword="null"/>.</summary>
    public decimal? Minimum { get; set; }

    /// <summary>Exclusive lower bound (draft-06 number, or draft-04 <c>exclusiveMinimum: true</c>), or <see langword="null"/>.</summary>
    public decimal? ExclusiveMinimum { get; set; }

    /// <summary>Inclusive upper bound, or <see langword="null"/>.</summary>
    public decimal? Maximum { get; set; }

    /// <summary>Exclusive upper bound, or <see langword="null"/>.</summary>
    public decimal? ExclusiveMaximum { get; set; }

    /// <summary><c>multipleOf</c> (positive), or <see langword="null"/>.</summary>
    public decimal? MultipleOf { get; set; }

    /// <summary>Whether any numeric constraint is set.</summary>
    public bool HasNumberConstraints =>
        Minimum.HasValue || ExclusiveMinimum.HasValue || Maximum.HasValue || ExclusiveMaximum.HasValue || MultipleOf.HasValue;

    /// <summary><c>items</c> given as one schema for every item, or <see langword="null"/>.</summary>
    public SchemaNode? Items { get; set; }

    /// <summary><c>items</c> given as an array (a tuple), or <see langword="null"/>.</summary>
    public SchemaNode[]? TupleItems { get; set; }

    /// <summary><c>additionalItems: false</c> after a tuple.</summary>
    public bool AdditionalItemsAllowed { get; set; } = true;

    /// <summary><c>additionalItems</c> given as a schema (after a tuple), or <see langword="null"/>.</summary>
    public SchemaNode? AdditionalItems { get; set; }

    /// <summary><c>minItems</c>, or 0.</summary>
    public int MinItems { get; set; }

    /// <summary><c>maxItems</c>, or <see langword="null"/>.</summary>
    public int? MaxItems { get; set; }

    /// <summary><c>uniqueItems: true</c>.</summary>
    public bool UniqueItems { get; set; }

    /// <summary><c>allOf</c>, or <see langword="null"/>.</summary>
    public SchemaNode[]? AllOf { get; set; }

    /// <summary><c>anyOf</c>, or <see langword="null"/>.</summary>
    public SchemaNode[]? AnyOf { get; set; }

    /// <summary><c>oneOf</c>, or <see langword="null"/>.</summary>
    public SchemaNode[]? OneOf { get; set; }

    /// <summary><c>not</c>, or <see langword="null"/>.</summary>
    public SchemaNode? Not { get; set; }

    /// <summary>Boolean schema <c>false</c> (nothing is valid).</summary>
    public bool RejectsAll { get; set; }
}

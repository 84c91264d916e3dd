namespace Ocpp.Rpc.Validation.Internal;

/// <summary>
/// One compiled schema of the fast accept path (see <see cref="FastSchemaValidator"/>). Built by
/// <see cref="FastSchemaCompiler"/> and not changed after compilation; nodes may be shared and cyclic.
/// </summary>
internal sealed class FastSchemaNode
{
    /// <summary>Accepted value kinds (<see cref="SchemaTypes.Any"/> for a schema without <c>type</c>).</summary>
    public SchemaTypes Types { get; set; }

    /// <summary>Declared property names, UTF-8, in declaration order (index = bit in the required mask).</summary>
    public byte[][] PropertyNames { get; set; } = [];

    /// <summary>The compiled schema of each declared property, same order as <see cref="PropertyNames"/>.</summary>
    public FastSchemaNode[] PropertySchemas { get; set; } = [];

    /// <summary>Bit i set: property i is required.</summary>
    public ulong RequiredMask { get; set; }

    /// <summary>Whether properties not declared are allowed (<c>additionalProperties</c> absent or <c>true</c>).</summary>
    public bool AllowAdditionalProperties { get; set; }

    /// <summary>Allowed string values, UTF-8; <see langword="null"/> when there is no <c>enum</c>.</summary>
    public byte[][]? Enum { get; set; }

    /// <summary><c>minLength</c> in code points, or 0.</summary>
    public int MinLength { get; set; }

    /// <summary><c>maxLength</c> in code points, or <see cref="int.MaxValue"/>.</summary>
    public int MaxLength { get; set; } = int.MaxValue;

    /// <summary>The checked <c>format</c>, or <see cref="StringFormat.None"/>.</summary>
    public StringFormat Format { get; set; }

    /// <summary>Inclusive lower bound, or <see langword="null"/>.</summary>
    public decimal? Minimum { get; set; }

    /// <summary>Exclusive lower bound, or <see langword="null"/>.</summary>
    public decimal? ExclusiveMinimum { get; set; }

    /// <summary>Inclusive upper bound, or <see langword="null"/>.</summary>
    public decimal? Maximum { get; set; }

    /// <summary>Exclusive upper bound, or <see langword="null"/>.</summary>
    public decimal? ExclusiveMaximum { get; set; }

    /// <summary><c>multipleOf</c>, or <see langword="null"/>.</summary>
    public decimal? MultipleOf { get; set; }

    /// <summary>Whether the node has any numeric constraint.</summary>
    public bool HasNumberConstraints => Minimum.HasValue || ExclusiveMinimum.HasValue || Maximum.HasValue || ExclusiveMaximum.HasValue || MultipleOf.HasValue;

    /// <summary>The schema of every array item, or <see langword="null"/> when items are not constrained.</summary>
    public FastSchemaNode? Items { get; set; }

    /// <summary><c>minItems</c>, or 0.</summary>
    public int MinItems { get; set; }

    /// <summary><c>maxItems</c>, or <see cref="int.MaxValue"/>.</summary>
    public int MaxItems { get; set; } = int.MaxValue;
}

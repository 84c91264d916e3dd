using System.Text;
using System.Text.Json;

namespace Ocpp.Rpc.Validation.Internal;

/// <summary>
/// Compiles <see cref="SchemaNode"/>s into <see cref="FastSchemaNode"/>s, or gives up (<see langword="null"/>) when a
/// schema uses anything the fast path does not replicate exactly; such a schema is then always validated by
/// <see cref="SchemaEvaluator"/>. Every official schema compiles.
/// </summary>
internal sealed class FastSchemaCompiler
{
    private readonly Dictionary<SchemaNode, FastSchemaNode> _nodes = new(ReferenceEqualityComparer.Instance);

    private FastSchemaCompiler()
    {
    }

    /// <summary>Compiles <paramref name="schema"/>, or returns <see langword="null"/>.</summary>
    /// <param name="schema">The read schema.</param>
    /// <returns>The root node, or <see langword="null"/> when any part of the schema is not supported.</returns>
    public static FastSchemaNode? TryCompile(SchemaNode schema)
    {
        FastSchemaNode? root = new FastSchemaCompiler().Compile(schema);
        return root is not null && root.Types == SchemaTypes.Object ? root : null;
    }

    private FastSchemaNode? Compile(SchemaNode schema)
    {
        if (_nodes.TryGetValue(schema, out FastSchemaNode? existing))
        {
            return existing; // shared or recursive definition; a failure anywhere fails the whole compilation
        }

        if (!IsSupported(schema))
        {
            return null;
        }

        var node = new FastSchemaNode();
        _nodes.Add(schema, node);
        node.Types = TypesOf(schema.Types);
        return CompileObject(schema, node) && CompileString(schema, node) && CompileNumber(schema, node) && CompileArray(schema, node)
            ? node
            : null;
    }

    private static bool IsSupported(SchemaNode schema) =>
        !schema.RejectsAll && schema.AllOf is null && schema.AnyOf is null && schema.OneOf is null && schema.Not is null
        && schema.Pattern is null && schema.Const is null
        && schema.PatternProperties.Length == 0 && schema.AdditionalProperties is null
        && schema.MinProperties == 0 && schema.MaxProperties is null
        && schema.TupleItems is null && !schema.UniqueItems;

    // No type (DataTransfer's "data"): only the constraints of whatever value comes.
    private static SchemaTypes TypesOf(SchemaTypes types) => types == SchemaTypes.None ? SchemaTypes.Any : types;

    private bool CompileObject(SchemaNode schema, FastSchemaNode node)
    {
        node.AllowAdditionalProperties = schema.AdditionalPropertiesAllowed;
        if (schema.Properties.Length == 0 && schema.Required.Length == 0)
        {
            return true;
        }

        // Property constraints are compiled on object schemas only, declared required ones only, 64 at most.
        if ((node.Types & ~SchemaTypes.Null) != SchemaTypes.Object || schema.Properties.Length > 64
            || schema.Required.Any(r => !schema.Properties.Any(p => p.Key == r)))
        {
            return false;
        }

        var names = new byte[schema.Properties.Length][];
        var schemas = new FastSchemaNode[names.Length];
        ulong required = 0;
        for (int i = 0; i < names.Length; i++)
        {
            (string name, SchemaNode property) = schema.Properties[i];
            FastSchemaNode? child = Compile(property);
            if (child is null)
            {
                return false;
            }

            names[i] = Encoding.UTF8.GetBytes(name);
            schemas[i] = child;
            if (Array.IndexOf(schema.Required, name) >= 0)
            {
                required |= 1UL << i;
            }
        }

        node.PropertyNames = names;
        node.PropertySchemas = schemas;
        node.RequiredMask = required;
        return true;
    }

    private static bool CompileString(SchemaNode schema, FastSchemaNode node)
    {
        if (schema.Enum is { } values)
        {
            if (values.Any(v => v.ValueKind != JsonValueKind.String))
            {
                return false;
            }

            node.Enum = [.. values.Select(v => Encoding.UTF8.GetBytes(v.GetString()!))];
        }

        node.MinLength = schema.MinLength ?? 0;
        node.MaxLength = schema.MaxLength ?? int.MaxValue;
        node.Format = schema.Format;
        return true;
    }

    private static bool CompileNumber(SchemaNode schema, FastSchemaNode node)
    {
        node.Minimum = schema.Minimum;
        node.Maximum = schema.Maximum;
        node.ExclusiveMinimum = schema.ExclusiveMinimum;
        node.ExclusiveMaximum = schema.ExclusiveMaximum;
        node.MultipleOf = schema.MultipleOf;
        return true;
    }

    private bool CompileArray(SchemaNode schema, FastSchemaNode node)
    {
        node.MinItems = schema.MinItems;
        node.MaxItems = schema.MaxItems ?? int.MaxValue;
        if (schema.Items is null)
        {
            return true;
        }

        node.Items = Compile(schema.Items);
        return node.Items is not null;
    }
}

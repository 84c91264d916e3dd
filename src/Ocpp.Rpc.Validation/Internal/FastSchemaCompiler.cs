using System.Text;
using NJsonSchema;
using NJsonSchema.Validation.FormatValidators;

namespace Ocpp.Rpc.Validation.Internal;

/// <summary>
/// Compiles NJsonSchema's object model into <see cref="FastSchemaNode"/>s, or gives up (<see langword="null"/>) when a
/// schema uses anything the fast path does not replicate exactly; such a schema is then always validated by NJsonSchema.
/// </summary>
internal sealed class FastSchemaCompiler
{
    // Keywords NJsonSchema keeps as extension data that only annotate (the 2.1 files have javaType and comment).
    private static readonly HashSet<string> AnnotationKeywords =
        new(["javaType", "comment", "$comment", "$id", "id", "$schema", "title", "description", "examples", "default", "definitions"], StringComparer.Ordinal);

    private readonly Dictionary<JsonSchema, FastSchemaNode> _nodes = [];
    private readonly IFormatValidator[] _formatValidators;

    private FastSchemaCompiler(IFormatValidator[] formatValidators) => _formatValidators = formatValidators;

    /// <summary>Compiles <paramref name="schema"/> (its <see cref="JsonSchema.ActualSchema"/>), or returns <see langword="null"/>.</summary>
    /// <param name="schema">The loaded schema.</param>
    /// <param name="formatValidators">The format validators NJsonSchema is configured with.</param>
    /// <returns>The root node, or <see langword="null"/> when any part of the schema is not supported.</returns>
    public static FastSchemaNode? TryCompile(JsonSchema schema, IEnumerable<IFormatValidator> formatValidators)
    {
        var compiler = new FastSchemaCompiler([.. formatValidators]);
        FastSchemaNode? root = compiler.Compile(schema.ActualSchema);
        return root is not null && root.Types == FastTypes.Object ? root : null;
    }

    private FastSchemaNode? Compile(JsonSchema schema)
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
        node.Types = TypesOf(schema.Type);
        if (node.Types == FastTypes.None)
        {
            return null;
        }

        return CompileObject(schema, node) && CompileString(schema, node) && CompileNumber(schema, node) && CompileArray(schema, node)
            ? node
            : null;
    }

    private static bool IsSupported(JsonSchema schema) =>
        schema.AllOf.Count == 0 && schema.AnyOf.Count == 0 && schema.OneOf.Count == 0 && schema.Not is null
        && string.IsNullOrEmpty(schema.Pattern)
        && schema.PatternProperties.Count == 0 && schema.AdditionalPropertiesSchema is null
        && schema.MinProperties == 0 && schema.MaxProperties == 0
        && schema.Items.Count == 0 && !schema.UniqueItems
        && (schema.ExtensionData is null || schema.ExtensionData.Keys.All(AnnotationKeywords.Contains));

    private static FastTypes TypesOf(JsonObjectType type)
    {
        if (type == JsonObjectType.None)
        {
            // No type (DataTransfer's "data"): NJsonSchema checks only the constraints of whatever token comes, and
            // a missing required property even on a non-object, which CompileObject refuses to compile.
            return FastTypes.Any;
        }

        if ((type & ~(JsonObjectType.Object | JsonObjectType.Array | JsonObjectType.String | JsonObjectType.Integer
            | JsonObjectType.Number | JsonObjectType.Boolean | JsonObjectType.Null)) != 0)
        {
            return FastTypes.None; // File or an unknown flag
        }

        FastTypes types = FastTypes.None;
        types |= type.HasFlag(JsonObjectType.Object) ? FastTypes.Object : 0;
        types |= type.HasFlag(JsonObjectType.Array) ? FastTypes.Array : 0;
        types |= type.HasFlag(JsonObjectType.String) ? FastTypes.String : 0;
        types |= type.HasFlag(JsonObjectType.Integer) ? FastTypes.Integer : 0;
        types |= type.HasFlag(JsonObjectType.Number) ? FastTypes.Number : 0;
        types |= type.HasFlag(JsonObjectType.Boolean) ? FastTypes.Boolean : 0;
        types |= type.HasFlag(JsonObjectType.Null) ? FastTypes.Null : 0;
        return types;
    }

    private bool CompileObject(JsonSchema schema, FastSchemaNode node)
    {
        node.AllowAdditionalProperties = schema.AllowAdditionalProperties;
        if (schema.Properties.Count == 0 && schema.RequiredProperties.Count == 0)
        {
            return true;
        }

        // NJsonSchema checks properties of any token that is not an object too (a missing required one is an error),
        // so property constraints are only compiled on pure object schemas.
        if ((node.Types & ~FastTypes.Null) != FastTypes.Object || schema.Properties.Count > 64
            || schema.RequiredProperties.Any(r => !schema.Properties.ContainsKey(r)))
        {
            return false;
        }

        var names = new byte[schema.Properties.Count][];
        var schemas = new FastSchemaNode[names.Length];
        ulong required = 0;
        int i = 0;
        foreach ((string name, JsonSchemaProperty property) in schema.Properties)
        {
            FastSchemaNode? child = Compile(property.ActualSchema);
            if (child is null)
            {
                return false;
            }

            names[i] = Encoding.UTF8.GetBytes(name);
            schemas[i] = child;
            if (property.IsRequired || schema.RequiredProperties.Contains(name))
            {
                required |= 1UL << i;
            }

            i++;
        }

        node.PropertyNames = names;
        node.PropertySchemas = schemas;
        node.RequiredMask = required;
        return true;
    }

    private bool CompileString(JsonSchema schema, FastSchemaNode node)
    {
        if (schema.Enumeration.Count > 0)
        {
            if (schema.Enumeration.Any(v => v is not string))
            {
                return false;
            }

            node.Enum = [.. schema.Enumeration.Select(v => Encoding.UTF8.GetBytes((string)v!))];
        }

        node.MinLength = schema.MinLength ?? 0;
        node.MaxLength = schema.MaxLength ?? int.MaxValue;
        if (string.IsNullOrEmpty(schema.Format))
        {
            return true;
        }

        if (schema.Format == "date-time")
        {
            // Must match the configured validators: exactly the strict one (see OcppSchemaValidator.CreateSettings).
            node.DateTime = true;
            return _formatValidators.Where(v => v.Format == "date-time").All(v => v is StrictDateTimeFormatValidator);
        }

        IFormatValidator[] validators = [.. _formatValidators.Where(v => v.Format == schema.Format)];
        node.FormatValidators = validators;
        return validators.Length > 0; // an unregistered format: not sure what NJsonSchema does, so not compiled
    }

    private static bool CompileNumber(JsonSchema schema, FastSchemaNode node)
    {
        if (schema.Minimum.HasValue)
        {
            if (schema.IsExclusiveMinimum)
            {
                node.ExclusiveMinimum = schema.Minimum;
            }
            else
            {
                node.Minimum = schema.Minimum;
            }
        }

        if (schema.Maximum.HasValue)
        {
            if (schema.IsExclusiveMaximum)
            {
                node.ExclusiveMaximum = schema.Maximum;
            }
            else
            {
                node.Maximum = schema.Maximum;
            }
        }

        node.ExclusiveMinimum = Max(node.ExclusiveMinimum, schema.ExclusiveMinimum);
        node.ExclusiveMaximum = Min(node.ExclusiveMaximum, schema.ExclusiveMaximum);
        node.MultipleOf = schema.MultipleOf;
        return node.MultipleOf is null or > 0;
    }

    private bool CompileArray(JsonSchema schema, FastSchemaNode node)
    {
        node.MinItems = schema.MinItems;
        node.MaxItems = schema.MaxItems > 0 ? schema.MaxItems : int.MaxValue;
        if (schema.Item is null)
        {
            return true;
        }

        node.Items = Compile(schema.Item.ActualSchema);
        return node.Items is not null;
    }

    private static decimal? Max(decimal? a, decimal? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static decimal? Min(decimal? a, decimal? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
}

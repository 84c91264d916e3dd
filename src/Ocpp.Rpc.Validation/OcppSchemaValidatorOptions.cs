namespace Ocpp.Rpc.Validation;

/// <summary>Options of <see cref="OcppSchemaValidator"/>. Immutable: change a copy with <c>with</c> or the <c>With…</c> helpers.</summary>
public sealed record OcppSchemaValidatorOptions
{
    /// <summary>The defaults: the official schemas of OCPP 1.6, 2.0.1 and 2.1, nothing skipped, no custom schemas or validators, <see cref="OcppSchemaErrorCodes.Default"/>.</summary>
    public static OcppSchemaValidatorOptions Default { get; } = new();

    /// <summary>
    /// The subprotocols whose official schemas are used. Default: <c>ocpp1.6</c>, <c>ocpp2.0.1</c>, <c>ocpp2.1</c>,
    /// the only ones with embedded schemas (see <see cref="OcppSchemaValidator.BuiltInProtocols"/>); any other name
    /// makes the <see cref="OcppSchemaValidator"/> constructor throw. An empty collection validates only what
    /// <see cref="CustomSchemas"/> and <see cref="CustomValidators"/> cover.
    /// </summary>
    public IReadOnlyCollection<string> Protocols { get; init; } = [OcppProtocols.Ocpp16, OcppProtocols.Ocpp201, OcppProtocols.Ocpp21];

    /// <summary>
    /// Actions not validated at all (neither direction, neither schema nor custom validator), per subprotocol:
    /// real stations send slightly invalid messages for some actions. Action names are case-sensitive.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyCollection<string>> SkippedActions { get; init; } =
        new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal);

    /// <summary>
    /// Schemas for vendor protocols or vendor actions. A custom schema for a protocol, action and kind that also has
    /// an official schema replaces it. Custom schemas are compiled when the validator is constructed, so a broken one
    /// fails there and not on the first message. At most one per protocol, action and kind.
    /// </summary>
    public IReadOnlyList<OcppCustomSchema> CustomSchemas { get; init; } = [];

    /// <summary>
    /// Schemas for the <c>data</c> of vendor <c>DataTransfer</c> requests, by protocol, <c>vendorId</c> and <c>messageId</c>:
    /// a DataTransfer request that the protocol's DataTransfer schema accepted is then checked against the schema
    /// of its key, with paths under <c>data</c> (e.g. <c>data.text</c>). Keys without a schema are not checked.
    /// Compiled when the validator is constructed; at most one request schema per key.
    /// </summary>
    public IReadOnlyList<OcppDataTransferSchema> DataTransferSchemas { get; init; } = [];

    /// <summary>
    /// Additional validators per subprotocol, e.g. for business rules or a vendor protocol without schemas. A custom
    /// validator is called after the schema (if any) accepted the payload, also for actions without a schema, and
    /// its result is returned as is.
    /// </summary>
    public IReadOnlyDictionary<string, IOcppPayloadValidator> CustomValidators { get; init; } =
        new Dictionary<string, IOcppPayloadValidator>(StringComparer.Ordinal);

    /// <summary>
    /// Maps the first schema violation of a payload and the connection's dialect to the error code reported.
    /// Default: <see cref="OcppSchemaErrorCodes.Default"/>.
    /// </summary>
    public Func<OcppSchemaViolation, OcppDialect, OcppErrorCode> ErrorCodeMapper { get; init; } = OcppSchemaErrorCodes.Default;

    /// <summary>Returns a copy that also skips <paramref name="actions"/> of <paramref name="protocol"/>.</summary>
    /// <param name="protocol">The subprotocol, e.g. <c>ocpp1.6</c>.</param>
    /// <param name="actions">The action names to skip.</param>
    /// <returns>The new options.</returns>
    public OcppSchemaValidatorOptions WithSkippedActions(string protocol, params IEnumerable<string> actions)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(actions);
        var copy = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, IReadOnlyCollection<string>> pair in SkippedActions)
        {
            copy[pair.Key] = pair.Value;
        }

        var merged = new HashSet<string>(StringComparer.Ordinal);
        if (copy.TryGetValue(protocol, out IReadOnlyCollection<string>? existing))
        {
            merged.UnionWith(existing);
        }

        merged.UnionWith(actions);
        copy[protocol] = merged;
        return this with { SkippedActions = copy };
    }

    /// <summary>Returns a copy with one more custom schema.</summary>
    /// <param name="protocol">The subprotocol it applies to.</param>
    /// <param name="action">The action name.</param>
    /// <param name="kind">Request or response.</param>
    /// <param name="schema">The JSON schema text.</param>
    /// <returns>The new options.</returns>
    public OcppSchemaValidatorOptions WithCustomSchema(string protocol, string action, OcppPayloadKind kind, string schema) =>
        this with { CustomSchemas = [.. CustomSchemas, new OcppCustomSchema(protocol, action, kind, schema)] };

    /// <summary>Returns a copy with more custom schemas, e.g. the <c>CustomSchemas</c> list that <c>ocpp-codegen</c> generates.</summary>
    /// <param name="schemas">The schemas.</param>
    /// <returns>The new options.</returns>
    public OcppSchemaValidatorOptions WithCustomSchemas(IEnumerable<OcppCustomSchema> schemas)
    {
        ArgumentNullException.ThrowIfNull(schemas);
        return this with { CustomSchemas = [.. CustomSchemas, .. schemas] };
    }

    /// <summary>Returns a copy with more DataTransfer schemas, e.g. the <c>DataTransferSchemas</c> list that <c>ocpp-codegen</c> generates.</summary>
    /// <param name="schemas">The schemas.</param>
    /// <returns>The new options.</returns>
    public OcppSchemaValidatorOptions WithDataTransferSchemas(IEnumerable<OcppDataTransferSchema> schemas)
    {
        ArgumentNullException.ThrowIfNull(schemas);
        return this with { DataTransferSchemas = [.. DataTransferSchemas, .. schemas] };
    }

    /// <summary>Returns a copy with <paramref name="validator"/> as the custom validator of <paramref name="protocol"/> (replacing any).</summary>
    /// <param name="protocol">The subprotocol.</param>
    /// <param name="validator">The validator, called after the schema accepted a payload.</param>
    /// <returns>The new options.</returns>
    public OcppSchemaValidatorOptions WithCustomValidator(string protocol, IOcppPayloadValidator validator)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(validator);
        var copy = new Dictionary<string, IOcppPayloadValidator>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, IOcppPayloadValidator> pair in CustomValidators)
        {
            copy[pair.Key] = pair.Value;
        }

        copy[protocol] = validator;
        return this with { CustomValidators = copy };
    }
}

using System.Collections.Frozen;
using System.Text.Json;
using Ocpp.Rpc.Validation.Internal;

namespace Ocpp.Rpc.Validation;

/// <summary>
/// Strict mode: validates OCPP-J payloads against the official OCA JSON schemas of OCPP 1.6, 2.0.1 and 2.1
/// (embedded, unmodified), plus optional custom schemas and validators.
/// </summary>
/// <remarks>
/// <para>
/// Returns <see langword="null"/> when the payload is valid, when the protocol is not validated, when the action is
/// skipped, and when the action has no schema in a validated protocol (an unknown action is answered with
/// <c>NotImplemented</c> by the engine, not by the validator). A <c>null</c> payload, which OCPP-J allows, is
/// validated as <c>{}</c>.
/// </para>
/// <para>
/// On failure, <see cref="OcppValidationFailure.Code"/> comes from <see cref="OcppSchemaValidatorOptions.ErrorCodeMapper"/>
/// applied to the first violation (default table: <see cref="OcppSchemaErrorCodes.Default"/>);
/// <see cref="OcppValidationFailure.Description"/> is that violation as <c>path: message</c> (at most 255 characters;
/// never a payload value, though a path can name a property the peer sent); <see cref="OcppValidationFailure.Errors"/>
/// lists every violation as <c>path: Kind</c>, with paths such as <c>meterValue[0].sampledValue[1].measurand</c> and <c>$</c> for the payload itself.
/// </para>
/// <para>
/// <c>date-time</c> is checked strictly per RFC 3339 (seconds and an offset are required), by the parser the typed
/// messages read with. Each schema is compiled once, on first use, and cached; the instance is thread-safe and meant
/// to be shared by all connections. Call <see cref="Preload"/> at startup to move the compile cost out of the first messages.
/// </para>
/// <para>
/// Schemas are read and payloads validated with System.Text.Json only, without reflection, so strict mode works
/// trimmed and under native AOT. Each schema is compiled into an allocation-free fast path that reads the UTF-8
/// payload once and only accepts; when it cannot prove a payload valid, the full validation decides and lists the
/// errors (at most <see cref="MaxErrors"/>).
/// </para>
/// </remarks>
public sealed class OcppSchemaValidator : IOcppPayloadValidator, IOcppDataTransferValidator
{
    /// <summary>
    /// <see cref="OcppValidationFailure.Errors"/> lists at most this many violations: validation stops there, so a
    /// huge payload full of errors costs no more than one with a hundred.
    /// </summary>
    public const int MaxErrors = 100;

    private const int MaxDescriptionLength = 255;

    private const string DataTransferAction = "DataTransfer";

    // A null payload (allowed by OCPP-J) is validated as {}.
    private static readonly JsonDocument EmptyObject = JsonDocument.Parse("{}");

    private readonly FrozenDictionary<string, ProtocolEntry> _protocols;
    private readonly Func<OcppSchemaViolation, OcppDialect, OcppErrorCode> _mapper;
    private int _schemasBuilt;

    /// <summary>Creates a validator with <see cref="OcppSchemaValidatorOptions.Default"/>.</summary>
    public OcppSchemaValidator()
        : this(OcppSchemaValidatorOptions.Default)
    {
    }

    /// <summary>Creates a validator. Custom schemas are compiled here; the official ones on first use.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException">
    /// A protocol in <see cref="OcppSchemaValidatorOptions.Protocols"/> has no embedded schemas, a custom schema is
    /// not valid JSON schema text or uses a keyword strict mode does not implement (the message names the schema and
    /// the JSON pointer of the keyword), or two custom schemas have the same protocol, action and kind.
    /// </exception>
    public OcppSchemaValidator(OcppSchemaValidatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _mapper = options.ErrorCodeMapper ?? OcppSchemaErrorCodes.Default;
        _protocols = BuildProtocols(options);
    }

    /// <summary>The protocols that have embedded official schemas: <c>ocpp1.6</c>, <c>ocpp2.0.1</c>, <c>ocpp2.1</c>.</summary>
    public static IReadOnlyList<string> BuiltInProtocols => BuiltInSchemas.Protocols;

    /// <summary>The options this validator was built with.</summary>
    public OcppSchemaValidatorOptions Options { get; }

    /// <summary>Number of schemas compiled so far by this instance (custom ones included); for diagnostics and tests.</summary>
    internal int SchemasBuilt => Volatile.Read(ref _schemasBuilt);

    /// <summary>Whether the fast accept path runs before the full validation (default); tests turn it off to compare both.</summary>
    internal bool FastPathEnabled { get; init; } = true;

    /// <summary>The compiled fast path of the schema that applies, or <see langword="null"/>; for tests.</summary>
    internal FastSchemaNode? GetFastSchema(string protocol, string action, OcppPayloadKind kind) =>
        _protocols.TryGetValue(protocol, out ProtocolEntry? entry) && entry.Actions.TryGetValue(action, out ActionEntry? a)
            ? a.Get(kind)?.Value.Fast
            : null;

    /// <summary>The actions that have an official schema (request, response or both) in <paramref name="protocol"/>, in ordinal order; empty for other protocols.</summary>
    /// <param name="protocol">A subprotocol name such as <c>ocpp2.0.1</c>.</param>
    /// <returns>The action names.</returns>
    public static IReadOnlyList<string> GetBuiltInActions(string protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        return BuiltInSchemas.Get(protocol)?.Actions ?? [];
    }

    /// <summary>Whether an official schema exists for <paramref name="protocol"/>, <paramref name="action"/> and <paramref name="kind"/>.</summary>
    /// <param name="protocol">A subprotocol name.</param>
    /// <param name="action">The action name (case-sensitive).</param>
    /// <param name="kind">Request or response.</param>
    /// <returns><see langword="true"/> when the embedded schema file of the protocol has that schema.</returns>
    public static bool HasBuiltInSchema(string protocol, string action, OcppPayloadKind kind)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(action);
        return BuiltInSchemas.Get(protocol)?.Contains(action, kind) ?? false;
    }

    /// <summary>
    /// Whether <see cref="Validate"/> checks this protocol, action and kind against a schema (official or custom),
    /// i.e. the protocol is validated, the action is not skipped and a schema exists.
    /// </summary>
    /// <param name="protocol">The subprotocol.</param>
    /// <param name="action">The action name.</param>
    /// <param name="kind">Request or response.</param>
    /// <returns><see langword="true"/> when a schema applies.</returns>
    public bool HasSchema(string protocol, string action, OcppPayloadKind kind)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(action);
        return _protocols.TryGetValue(protocol, out ProtocolEntry? entry)
            && entry.Actions.TryGetValue(action, out ActionEntry? actionEntry)
            && !actionEntry.Skipped
            && actionEntry.Get(kind) is not null;
    }

    /// <summary>Compiles every official schema of the validated protocols now instead of on first use.</summary>
    /// <returns>The number of schemas compiled or already cached.</returns>
    public int Preload()
    {
        int count = 0;
        foreach (ProtocolEntry entry in _protocols.Values)
        {
            foreach (ActionEntry action in entry.Actions.Values)
            {
                // Custom schemas were compiled by the constructor, so this compiles the official ones.
                _ = action.Request?.Value;
                _ = action.Response?.Value;
            }

            count += entry.OfficialSchemas;
        }

        return count;
    }

    /// <inheritdoc />
    public OcppValidationFailure? Validate(string protocol, string action, OcppPayloadKind kind, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(action);
        if (!_protocols.TryGetValue(protocol, out ProtocolEntry? entry))
        {
            return null;
        }

        // One lookup of the action: skip flag and both schemas (custom or official, compiled on first use).
        ActionEntry? actionEntry = entry.Actions.GetValueOrDefault(action);
        if (actionEntry is { Skipped: true })
        {
            return null;
        }

        if (actionEntry?.Get(kind) is { } schema)
        {
            OcppValidationFailure? failure = ValidateAgainst(schema.Value, entry.Dialect, payload);
            if (failure is not null)
            {
                return failure;
            }
        }

        if (entry.DataTransfers is { } dataTransfers && kind == OcppPayloadKind.Request && action == DataTransferAction)
        {
            OcppValidationFailure? failure = ValidateDataTransfer(dataTransfers, entry, payload);
            if (failure is not null)
            {
                return failure;
            }
        }

        return entry.CustomValidator?.Validate(protocol, action, kind, payload);
    }

    // The data of a vendor DataTransfer request against the schema of its (vendorId, messageId); the outer schema has
    // already accepted the payload, so vendorId is a string and, in 1.x, data is a string.
    private OcppValidationFailure? ValidateDataTransfer(FrozenDictionary<(string, string), CompiledSchema> schemas, ProtocolEntry entry, ReadOnlySpan<byte> payload)
    {
        if (!DataTransferFields.TryRead(payload, entry.DataAsString, out DataTransferFields fields)
            || fields.VendorId is null
            || !schemas.TryGetValue((fields.VendorId, fields.MessageId ?? string.Empty), out CompiledSchema? schema))
        {
            return null;
        }

        return ValidateAgainst(schema, entry.Dialect, fields.HasData ? fields.Data(payload) : "{}"u8, "data");
    }

    /// <inheritdoc />
    /// <remarks>
    /// Uses the <see cref="OcppPayloadKind.Response"/> schemas of <see cref="OcppSchemaValidatorOptions.DataTransferSchemas"/>;
    /// paths in the failure are under <c>data</c>. A response without <c>data</c> (e.g. <c>UnknownMessageId</c>) passes.
    /// </remarks>
    public OcppValidationFailure? ValidateDataTransferResponse(string protocol, string vendorId, string messageId, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(vendorId);
        ArgumentNullException.ThrowIfNull(messageId);
        if (!_protocols.TryGetValue(protocol, out ProtocolEntry? entry)
            || entry.DataTransferResponses is not { } schemas
            || !schemas.TryGetValue((vendorId, messageId), out CompiledSchema? schema)
            || !DataTransferFields.TryRead(payload, entry.DataAsString, out DataTransferFields fields)
            || !fields.HasData)
        {
            return null;
        }

        return ValidateAgainst(schema, entry.Dialect, fields.Data(payload), "data");
    }

    /// <summary>The vendorId, messageId and data of a DataTransfer payload, read in one pass.</summary>
    private readonly struct DataTransferFields
    {
        private readonly byte[]? _unescaped;
        private readonly int _start;
        private readonly int _end;

        private DataTransferFields(string? vendorId, string? messageId, byte[]? unescaped, int start, int end)
        {
            VendorId = vendorId;
            MessageId = messageId;
            _unescaped = unescaped;
            _start = start;
            _end = end;
        }

        public string? VendorId { get; }

        public string? MessageId { get; }

        /// <summary>Whether the payload has a non-null data.</summary>
        public bool HasData => _unescaped is not null || _start >= 0;

        /// <summary>The data's JSON: the string's content in 1.x, the raw value otherwise.</summary>
        public ReadOnlySpan<byte> Data(ReadOnlySpan<byte> payload) => _unescaped ?? payload[_start.._end];

        public static bool TryRead(ReadOnlySpan<byte> payload, bool dataAsString, out DataTransferFields fields)
        {
            string? vendorId = null, messageId = null;
            byte[]? unescaped = null;
            int start = -1, end = -1;
            fields = default;
            var reader = new Utf8JsonReader(payload);
            try
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return false;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    int field = reader.ValueTextEquals("vendorId"u8) ? 1 : reader.ValueTextEquals("messageId"u8) ? 2 : reader.ValueTextEquals("data"u8) ? 3 : 0;
                    reader.Read();
                    if (field == 1 && reader.TokenType == JsonTokenType.String)
                    {
                        vendorId = reader.GetString();
                    }
                    else if (field == 2 && reader.TokenType == JsonTokenType.String)
                    {
                        messageId = reader.GetString();
                    }
                    else if (field == 3 && dataAsString && reader.TokenType == JsonTokenType.String)
                    {
                        unescaped = System.Text.Encoding.UTF8.GetBytes(reader.GetString()!);
                    }
                    else if (field == 3 && reader.TokenType != JsonTokenType.Null)
                    {
                        start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        end = (int)reader.BytesConsumed;
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            catch (JsonException)
            {
                return false; // the outer schema reports malformed payloads
            }

            fields = new DataTransferFields(vendorId, messageId, unescaped, start, end);
            return true;
        }
    }

    private CompiledSchema Compile(string text, string name)
    {
        SchemaNode schema;
        try
        {
            schema = SchemaReader.Read(text);
        }
        catch (SchemaReadException ex)
        {
            throw new ArgumentException($"The schema for {name} cannot be used: {ex.Message}", ex);
        }

        Interlocked.Increment(ref _schemasBuilt);
        return new CompiledSchema(schema, FastSchemaCompiler.TryCompile(schema));
    }

    private OcppValidationFailure? ValidateAgainst(CompiledSchema schema, OcppDialect dialect, ReadOnlySpan<byte> payload, string? pathPrefix = null)
    {
        // Fast path: a valid payload is usually accepted here in one allocation-free pass. Anything it rejects or is
        // not sure about goes through the full validation below, which decides and lists the errors.
        if (FastPathEnabled && schema.Fast is not null && FastSchemaValidator.TryAccept(schema.Fast, payload))
        {
            return null;
        }

        using JsonDocument? document = PayloadReader.TryParse(payload, out string? parseError);
        if (document is null)
        {
            return Fail(dialect, [new SchemaError(SchemaError.RootPath, OcppSchemaViolation.InvalidJson, "invalid JSON (" + parseError + ")")], pathPrefix);
        }

        JsonElement root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Null)
        {
            root = EmptyObject.RootElement;
        }
        else if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail(dialect, [new SchemaError(SchemaError.RootPath, OcppSchemaViolation.NotAnObject, "payload must be a JSON object")], pathPrefix);
        }

        List<SchemaError> errors = SchemaEvaluator.Evaluate(schema.Schema, root);
        return errors.Count == 0 ? null : Fail(dialect, errors, pathPrefix);
    }

    private OcppValidationFailure Fail(OcppDialect dialect, List<SchemaError> errors, string? pathPrefix = null)
    {
        if (pathPrefix is not null)
        {
            // Paths inside a DataTransfer's data: "$" becomes "data", "text" becomes "data.text".
            for (int i = 0; i < errors.Count; i++)
            {
                string path = errors[i].Path;
                errors[i] = errors[i] with
                {
                    Path = path == SchemaError.RootPath ? pathPrefix : path.StartsWith('[') ? pathPrefix + path : pathPrefix + "." + path,
                };
            }
        }

        SchemaError first = errors[0];
        string description = first.Path + ": " + first.Message;
        if (description.Length > MaxDescriptionLength)
        {
            description = description[..(MaxDescriptionLength - 3)] + "...";
        }

        string[] lines = new string[errors.Count];
        for (int i = 0; i < lines.Length; i++)
        {
            lines[i] = errors[i].Path + ": " + errors[i].Violation;
        }

        return new OcppValidationFailure(_mapper(first.Violation, dialect), description, lines);
    }

    private FrozenDictionary<string, ProtocolEntry> BuildProtocols(OcppSchemaValidatorOptions options)
    {
        var builtIn = new HashSet<string>(StringComparer.Ordinal);
        foreach (string protocol in options.Protocols ?? [])
        {
            if (BuiltInSchemas.Get(protocol) is null)
            {
                throw new ArgumentException(
                    $"There are no official schemas for '{protocol}'; use CustomSchemas or CustomValidators for it.", nameof(options));
            }

            builtIn.Add(protocol);
        }

        var custom = new Dictionary<string, Dictionary<(string, OcppPayloadKind), CompiledSchema>>(StringComparer.Ordinal);
        foreach (OcppCustomSchema item in options.CustomSchemas ?? [])
        {
            ArgumentNullException.ThrowIfNull(item);
            ArgumentException.ThrowIfNullOrEmpty(item.Protocol, nameof(options));
            ArgumentException.ThrowIfNullOrEmpty(item.Action, nameof(options));
            ArgumentException.ThrowIfNullOrEmpty(item.Schema, nameof(options));
            if (!custom.TryGetValue(item.Protocol, out Dictionary<(string, OcppPayloadKind), CompiledSchema>? map))
            {
                custom[item.Protocol] = map = [];
            }

            if (!map.TryAdd((item.Action, item.Kind), Compile(item.Schema, $"{item.Protocol} {item.Action} {item.Kind}")))
            {
                throw new ArgumentException($"Two custom schemas for {item.Protocol} {item.Action} {item.Kind}.", nameof(options));
            }
        }

        var dataTransfers = new Dictionary<string, Dictionary<(string, string), CompiledSchema>>(StringComparer.Ordinal);
        var dataTransferResponses = new Dictionary<string, Dictionary<(string, string), CompiledSchema>>(StringComparer.Ordinal);
        foreach (OcppDataTransferSchema item in options.DataTransferSchemas ?? [])
        {
            ArgumentNullException.ThrowIfNull(item);
            ArgumentException.ThrowIfNullOrEmpty(item.Protocol, nameof(options));
            ArgumentException.ThrowIfNullOrEmpty(item.VendorId, nameof(options));
            ArgumentNullException.ThrowIfNull(item.MessageId, nameof(options));
            ArgumentException.ThrowIfNullOrEmpty(item.Schema, nameof(options));
            string name = $"{item.Protocol} DataTransfer ({item.VendorId}, {item.MessageId}) {item.Kind}";
            CompiledSchema compiled = Compile(item.Schema, name);

            // Responses by key for ValidateDataTransferResponse: a CALLRESULT does not say which key it answers.
            Dictionary<string, Dictionary<(string, string), CompiledSchema>> byKind = item.Kind == OcppPayloadKind.Request ? dataTransfers : dataTransferResponses;
            if (!byKind.TryGetValue(item.Protocol, out Dictionary<(string, string), CompiledSchema>? map))
            {
                byKind[item.Protocol] = map = [];
            }

            if (!map.TryAdd((item.VendorId, item.MessageId), compiled))
            {
                throw new ArgumentException($"Two DataTransfer schemas for {name}.", nameof(options));
            }
        }

        IReadOnlyDictionary<string, IOcppPayloadValidator> validators = options.CustomValidators ?? FrozenDictionary<string, IOcppPayloadValidator>.Empty;
        IReadOnlyDictionary<string, IReadOnlyCollection<string>> skipped = options.SkippedActions ?? FrozenDictionary<string, IReadOnlyCollection<string>>.Empty;

        var entries = new Dictionary<string, ProtocolEntry>(StringComparer.Ordinal);
        foreach (string protocol in builtIn.Concat(custom.Keys).Concat(validators.Keys).Concat(dataTransfers.Keys).Concat(dataTransferResponses.Keys).Distinct(StringComparer.Ordinal))
        {
            BuiltInSchemaSet? official = builtIn.Contains(protocol) ? BuiltInSchemas.Get(protocol) : null;
            Dictionary<(string, OcppPayloadKind), CompiledSchema>? customOfProtocol = custom.GetValueOrDefault(protocol);
            entries[protocol] = new ProtocolEntry(
                OcppProtocols.GetDialect(protocol),
                BuildActions(protocol, official, customOfProtocol, skipped.TryGetValue(protocol, out IReadOnlyCollection<string>? actions) ? actions : null),
                official?.Keys.Count(key => customOfProtocol is null || !customOfProtocol.ContainsKey(key)) ?? 0,
                validators.TryGetValue(protocol, out IOcppPayloadValidator? validator) ? validator : null)
            {
                DataTransfers = dataTransfers.TryGetValue(protocol, out Dictionary<(string, string), CompiledSchema>? map) ? map.ToFrozenDictionary() : null,
                DataTransferResponses = dataTransferResponses.TryGetValue(protocol, out Dictionary<(string, string), CompiledSchema>? responses) ? responses.ToFrozenDictionary() : null,
                DataAsString = protocol.StartsWith("ocpp1.", StringComparison.Ordinal),
            };
        }

        return entries.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private FrozenDictionary<string, ActionEntry> BuildActions(
        string protocol,
        BuiltInSchemaSet? builtIn,
        Dictionary<(string, OcppPayloadKind), CompiledSchema>? custom,
        IReadOnlyCollection<string>? skipped)
    {
        var actions = new Dictionary<string, ActionEntry>(StringComparer.Ordinal);
        ActionEntry Entry(string action) => actions.TryGetValue(action, out ActionEntry? e) ? e : actions[action] = new ActionEntry();

        foreach ((string action, OcppPayloadKind kind) in builtIn?.Keys ?? [])
        {
            // Official schemas are compiled on first use; only actions of the schema file have an entry, so a peer
            // cannot grow anything with made-up actions.
            var lazy = new Lazy<CompiledSchema>(
                () => Compile(builtIn!.GetSchemaText(action, kind)!, $"{protocol} {action} {kind}"),
                LazyThreadSafetyMode.ExecutionAndPublication);
            Entry(action).Set(kind, lazy);
        }

        foreach (((string action, OcppPayloadKind kind), CompiledSchema schema) in custom ?? [])
        {
            Entry(action).Set(kind, new Lazy<CompiledSchema>(schema)); // replaces the official one
        }

        foreach (string action in skipped ?? [])
        {
            Entry(action).Skipped = true;
        }

        return actions.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <param name="Dialect">Error-code spelling of the protocol.</param>
    /// <param name="Actions">Skip flag and schemas per action.</param>
    /// <param name="OfficialSchemas">How many official schemas apply (those not replaced by a custom one), for <see cref="Preload"/>.</param>
    /// <param name="CustomValidator">The protocol's custom validator, if any.</param>
    private sealed record ProtocolEntry(
        OcppDialect Dialect,
        FrozenDictionary<string, ActionEntry> Actions,
        int OfficialSchemas,
        IOcppPayloadValidator? CustomValidator)
    {
        /// <summary>The DataTransfer data schemas by (vendorId, messageId), or null.</summary>
        public FrozenDictionary<(string, string), CompiledSchema>? DataTransfers { get; init; }

        /// <summary>The DataTransfer response data schemas by (vendorId, messageId), or null.</summary>
        public FrozenDictionary<(string, string), CompiledSchema>? DataTransferResponses { get; init; }

        /// <summary>Whether DataTransfer data is a JSON string (1.x).</summary>
        public bool DataAsString { get; init; }
    }

    /// <summary>A read schema and its compiled fast path (<see langword="null"/> when the schema is not supported by it).</summary>
    /// <param name="Schema">The schema: what the full validation checks, and the producer of every error.</param>
    /// <param name="Fast">The fast accept path, or <see langword="null"/>.</param>
    internal sealed record CompiledSchema(SchemaNode Schema, FastSchemaNode? Fast);

    /// <summary>Everything the validator knows about one action of a protocol, found with one lookup per call.</summary>
    private sealed class ActionEntry
    {
        public bool Skipped { get; set; }

        public Lazy<CompiledSchema>? Request { get; private set; }

        public Lazy<CompiledSchema>? Response { get; private set; }

        public Lazy<CompiledSchema>? Get(OcppPayloadKind kind) => kind == OcppPayloadKind.Request ? Request : Response;

        public void Set(OcppPayloadKind kind, Lazy<CompiledSchema> schema)
        {
            if (kind == OcppPayloadKind.Request)
            {
                Request = schema;
            }
            else
            {
                Response = schema;
            }
        }
    }
}

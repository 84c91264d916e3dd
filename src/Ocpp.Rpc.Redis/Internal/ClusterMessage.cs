using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ocpp.Rpc.Redis.Internal;

/// <summary>
/// The envelope nodes exchange over Redis pub/sub: compact JSON, one shape for every kind (see <see cref="ClusterMessageType"/>).
/// Absent fields are omitted; payloads and error details are embedded as JSON values, not strings.
/// </summary>
internal sealed class ClusterMessage
{
    /// <summary>The kind of message.</summary>
    [JsonPropertyName("t")]
    public string Type { get; set; } = string.Empty;

    /// <summary>The correlation id of a routed call and its reply.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    /// <summary>The sending node (where replies go).</summary>
    [JsonPropertyName("n")]
    public string? Node { get; set; }

    /// <summary>The station identity.</summary>
    [JsonPropertyName("s")]
    public string? Station { get; set; }

    /// <summary>The action of a call or broadcast.</summary>
    [JsonPropertyName("a")]
    public string? Action { get; set; }

    /// <summary>The request payload, or the CALLRESULT payload of a reply.</summary>
    [JsonPropertyName("p")]
    public JsonElement? Payload { get; set; }

    /// <summary>The caller's timeout in milliseconds.</summary>
    [JsonPropertyName("ms")]
    public long? TimeoutMs { get; set; }

    /// <summary>The subprotocol a typed request belongs to, or the protocol filter of a broadcast.</summary>
    [JsonPropertyName("pr")]
    public string? Protocol { get; set; }

    /// <summary>The caller's explicit OCPP message id.</summary>
    [JsonPropertyName("mid")]
    public string? MessageId { get; set; }

    /// <summary>Skip strict-mode validation on the owner's connection.</summary>
    [JsonPropertyName("sv")]
    public bool? SkipValidation { get; set; }

    /// <summary>The CALLERROR code as spelled on the wire.</summary>
    [JsonPropertyName("c")]
    public string? Code { get; set; }

    /// <summary>The CALLERROR description, or the text of another failure.</summary>
    [JsonPropertyName("d")]
    public string? Description { get; set; }

    /// <summary>The CALLERROR details object.</summary>
    [JsonPropertyName("x")]
    public JsonElement? Details { get; set; }

    /// <summary>A routed OCPP 2.1 SEND: the owner sends it and replies with an empty result once it is handed to the transport.</summary>
    [JsonPropertyName("ow")]
    public bool? OneWay { get; set; }

    /// <summary>The caller's W3C trace context (<c>traceparent</c>), so the owner's span joins the caller's trace.</summary>
    [JsonPropertyName("tp")]
    public string? TraceParent { get; set; }

    /// <summary>A registration generation (evictions), or a number that goes with the failure (queue limit).</summary>
    [JsonPropertyName("g")]
    public long? Number { get; set; }
}

/// <summary>The values of <see cref="ClusterMessage.Type"/>.</summary>
internal static class ClusterMessageType
{
    /// <summary>Request: call a local station (request channel).</summary>
    public const string Call = "call";

    /// <summary>Reply: the CALLRESULT payload.</summary>
    public const string Result = "result";

    /// <summary>Reply: the station's CALLERROR.</summary>
    public const string Error = "error";

    /// <summary>Reply: the station did not answer in time.</summary>
    public const string Timeout = "timeout";

    /// <summary>Reply: the connection closed before answering.</summary>
    public const string Closed = "closed";

    /// <summary>Reply: the connection's call queue is full.</summary>
    public const string Busy = "busy";

    /// <summary>Reply: the station is not connected to the node (any more).</summary>
    public const string Absent = "absent";

    /// <summary>Reply: a typed request for another subprotocol than the station speaks.</summary>
    public const string Protocol = "protocol";

    /// <summary>Reply: any other failure.</summary>
    public const string Failed = "failed";

    /// <summary>Control: close the local connection of a station that registered again elsewhere.</summary>
    public const string Evict = "evict";

    /// <summary>Broadcast: call every local station.</summary>
    public const string Broadcast = "broadcast";
}

/// <summary>Source-generated serialization of the envelope (no reflection).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ClusterMessage))]
[JsonSerializable(typeof(NodeLinkHello))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class RedisJsonContext : JsonSerializerContext;

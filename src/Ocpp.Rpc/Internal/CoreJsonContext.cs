using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ocpp.Rpc.Internal;

/// <summary>Source-generated metadata for the untyped API (raw <see cref="JsonElement"/> results).</summary>
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class CoreJsonContext : JsonSerializerContext;

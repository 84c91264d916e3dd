using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Ocpp.Rpc.Redis.Tests;

/// <summary>A typed OCPP 1.6 Reset for typed routed calls.</summary>
public sealed record Reset16Request(string Type) : IOcppRequest<Reset16Request, ResetResponse>
{
    public static string Action => "Reset";

    public static string Protocol => OcppProtocols.Ocpp16;

    public static JsonTypeInfo<Reset16Request> RequestTypeInfo => TestJsonContext.Default.Reset16Request;

    public static JsonTypeInfo<ResetResponse> ResponseTypeInfo => TestJsonContext.Default.ResetResponse;
}

/// <summary>A typed OCPP 2.0.1 Reset, which a 1.6 station must not receive.</summary>
public sealed record Reset201Request(string Type) : IOcppRequest<Reset201Request, ResetResponse>
{
    public static string Action => "Reset";

    public static string Protocol => OcppProtocols.Ocpp201;

    public static JsonTypeInfo<Reset201Request> RequestTypeInfo => TestJsonContext.Default.Reset201Request;

    public static JsonTypeInfo<ResetResponse> ResponseTypeInfo => TestJsonContext.Default.ResetResponse;
}

public sealed record ResetResponse(string Status);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Reset16Request))]
[JsonSerializable(typeof(Reset201Request))]
[JsonSerializable(typeof(ResetResponse))]
internal sealed partial class TestJsonContext : JsonSerializerContext;

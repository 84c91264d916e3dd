using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Ocpp.Rpc.Internal;

/// <summary>The outer <c>DataTransfer</c> request around a typed vendor payload.</summary>
/// <typeparam name="TRequest">The payload type.</typeparam>
/// <param name="Data">The payload.</param>
internal readonly record struct DataTransferCall<TRequest>(TRequest Data);

/// <summary>
/// Metadata of the outer <c>DataTransfer</c> request and response around typed vendor payloads, built from converters
/// (no reflection): <c>data</c> is the payload's JSON as a string in OCPP 1.x and the JSON value itself otherwise.
/// </summary>
/// <typeparam name="TRequest">The request payload type.</typeparam>
/// <typeparam name="TResponse">The response payload type.</typeparam>
internal static class DataTransferJson<TRequest, TResponse>
    where TRequest : IOcppDataTransferRequest<TRequest, TResponse>
{
    private static readonly JsonSerializerOptions Options = new() { TypeInfoResolver = JsonTypeInfoResolver.Combine() };

    /// <summary>Whether <c>data</c> is a JSON string holding the payload (OCPP 1.x).</summary>
    public static bool DataAsString { get; } = DataTransferWire.DataAsString(TRequest.Protocol);

    /// <summary>The outer request.</summary>
    public static JsonTypeInfo<DataTransferCall<TRequest>> Call { get; } =
        JsonMetadataServices.CreateValueInfo<DataTransferCall<TRequest>>(Options, new CallConverter());

    /// <summary>The outer response.</summary>
    public static JsonTypeInfo<OcppDataTransferResult<TResponse>> Result { get; } =
        JsonMetadataServices.CreateValueInfo<OcppDataTransferResult<TResponse>>(Options, new ResultConverter());

    private sealed class CallConverter : JsonConverter<DataTransferCall<TRequest>>
    {
        public override DataTransferCall<TRequest> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Inbound DataTransfer requests are read by the DataTransfer router.");

        public override void Write(Utf8JsonWriter writer, DataTransferCall<TRequest> value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("vendorId"u8, TRequest.VendorId);
            writer.WriteString("messageId"u8, TRequest.MessageId);
            DataTransferWire.WriteData(writer, value.Data, TRequest.RequestTypeInfo, DataAsString);
            writer.WriteEndObject();
        }
    }

    private sealed class ResultConverter : JsonConverter<OcppDataTransferResult<TResponse>>
    {
        public override OcppDataTransferResult<TResponse> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("A DataTransfer response must be a JSON object.");
            }

            OcppDataTransferStatus? status = null;
            TResponse? data = default;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("status"u8))
                {
                    reader.Read();
                    status = DataTransferWire.ParseStatus(ref reader);
                }
                else if (reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    data = DataTransferWire.ReadData(ref reader, TRequest.ResponseTypeInfo, DataAsString);
                }
                else
                {
                    reader.Read();
                    reader.Skip(); // statusInfo, customData
                }
            }

            return new OcppDataTransferResult<TResponse>(status ?? throw new JsonException("The DataTransfer response has no status."), data);
        }

        public override void Write(Utf8JsonWriter writer, OcppDataTransferResult<TResponse> value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("status"u8, DataTransferWire.StatusText(value.Status));
            if (value.Data is { } data)
            {
                DataTransferWire.WriteData(writer, data, TRequest.ResponseTypeInfo, DataAsString);
            }

            writer.WriteEndObject();
        }
    }
}

/// <summary>The <c>data</c> field and the status strings of <c>DataTransfer</c>.</summary>
internal static class DataTransferWire
{
    /// <summary>The action name.</summary>
    public const string Action = "DataTransfer";

    /// <summary>OCPP 1.x types <c>data</c> as a string; 2.x (and any other subprotocol) as any JSON value.</summary>
    /// <param name="protocol">The subprotocol.</param>
    public static bool DataAsString(string protocol) => protocol.StartsWith("ocpp1.", StringComparison.Ordinal);

    public static void WriteData<T>(Utf8JsonWriter writer, T value, JsonTypeInfo<T> typeInfo, bool asString)
    {
        if (asString)
        {
            writer.WriteString("data"u8, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));
            return;
        }

        writer.WritePropertyName("data"u8);
        JsonSerializer.Serialize(writer, value, typeInfo);
    }

    public static T? ReadData<T>(ref Utf8JsonReader reader, JsonTypeInfo<T> typeInfo, bool asString)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }

        if (!asString)
        {
            return JsonSerializer.Deserialize(ref reader, typeInfo);
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("DataTransfer data must be a JSON string in OCPP 1.6.");
        }

        return JsonSerializer.Deserialize(reader.GetString()!, typeInfo);
    }

    public static OcppDataTransferStatus ParseStatus(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("The DataTransfer status must be a string.");
        }

        return reader.ValueTextEquals("Accepted"u8) ? OcppDataTransferStatus.Accepted
            : reader.ValueTextEquals("Rejected"u8) ? OcppDataTransferStatus.Rejected
            : reader.ValueTextEquals("UnknownMessageId"u8) ? OcppDataTransferStatus.UnknownMessageId
            : reader.ValueTextEquals("UnknownVendorId"u8) ? OcppDataTransferStatus.UnknownVendorId
            : throw new JsonException("Unknown DataTransfer status.");
    }

    public static string StatusText(OcppDataTransferStatus status) => status switch
    {
        OcppDataTransferStatus.Accepted => "Accepted",
        OcppDataTransferStatus.Rejected => "Rejected",
        OcppDataTransferStatus.UnknownMessageId => "UnknownMessageId",
        OcppDataTransferStatus.UnknownVendorId => "UnknownVendorId",
        _ => throw new JsonException("Undefined DataTransfer status."),
    };

    /// <summary>
    /// Reads <c>vendorId</c>, <c>messageId</c> and <c>data</c> of a DataTransfer request in one pass. <paramref name="data"/>
    /// is the payload's JSON: the string's content in 1.x, the raw value otherwise; empty when absent or null.
    /// </summary>
    public static bool TryReadRequest(ReadOnlySpan<byte> payload, bool dataAsString, out string? vendorId, out string? messageId, out ReadOnlyMemory<byte> data, ReadOnlyMemory<byte> memory)
    {
        vendorId = null;
        messageId = null;
        data = default;
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return reader.TokenType == JsonTokenType.Null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("vendorId"u8))
            {
                reader.Read();
                vendorId = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException("vendorId must be a string.");
            }
            else if (reader.ValueTextEquals("messageId"u8))
            {
                reader.Read();
                messageId = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException("messageId must be a string.");
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (dataAsString)
                {
                    data = reader.TokenType == JsonTokenType.String
                        ? System.Text.Encoding.UTF8.GetBytes(reader.GetString()!)
                        : throw new JsonException("DataTransfer data must be a JSON string in OCPP 1.6.");
                }
                else
                {
                    int start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    data = memory[start..(int)reader.BytesConsumed];
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return true;
    }
}

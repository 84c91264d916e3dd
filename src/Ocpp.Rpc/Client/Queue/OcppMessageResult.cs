using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ocpp.Rpc.Client;

/// <summary>How a queued message ended.</summary>
public enum OcppMessageStatus
{
    /// <summary>The CSMS answered with a CALLRESULT (<see cref="OcppMessageResult.Response"/>).</summary>
    Answered = 1,

    /// <summary>Every attempt got a CALLERROR or no answer, and the message was dropped (<see cref="OcppMessageResult.ErrorCode"/>, <see cref="OcppMessageResult.ErrorDescription"/>).</summary>
    Dropped = 2,
}

/// <summary>The outcome of a queued transaction message: its CALLRESULT, or why it was dropped.</summary>
/// <param name="Id">The message's store id (its handle id).</param>
/// <param name="MessageId">The OCPP-J message id.</param>
/// <param name="Action">The action name.</param>
/// <param name="Status">Answered or dropped.</param>
/// <param name="Response">The CALLRESULT payload as JSON text when answered; <see langword="null"/> when dropped.</param>
/// <param name="ErrorCode">When dropped: the last CALLERROR's wire code, or <c>Timeout</c> when the last attempt got no answer.</param>
/// <param name="ErrorDescription">When dropped: what the last attempt got.</param>
/// <param name="Attempts">How many times the message was sent to an answer or a timeout.</param>
/// <param name="CompletedAt">When it was answered or dropped.</param>
public sealed record OcppMessageResult(
    long Id,
    string MessageId,
    string Action,
    OcppMessageStatus Status,
    string? Response,
    string? ErrorCode,
    string? ErrorDescription,
    int Attempts,
    DateTimeOffset CompletedAt)
{
    /// <summary>The error code of a dropped message whose last attempt got no answer within the call timeout.</summary>
    public const string TimeoutErrorCode = "Timeout";

    /// <summary>Whether the CSMS answered with a CALLRESULT.</summary>
    public bool IsAnswered => Status == OcppMessageStatus.Answered;

    /// <summary>The CALLRESULT payload, parsed.</summary>
    /// <returns>A detached JSON element.</returns>
    /// <exception cref="InvalidOperationException">The message was dropped.</exception>
    public JsonElement GetResponse()
    {
        using JsonDocument document = JsonDocument.Parse(RequireResponse());
        return document.RootElement.Clone();
    }

    /// <summary>The CALLRESULT payload deserialized with source-generated metadata.</summary>
    /// <typeparam name="T">The response type.</typeparam>
    /// <param name="typeInfo">Its metadata, e.g. <c>TRequest.ResponseTypeInfo</c>.</param>
    /// <returns>The response.</returns>
    /// <exception cref="InvalidOperationException">The message was dropped.</exception>
    public T GetResponse<T>(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return JsonSerializer.Deserialize(RequireResponse(), typeInfo) ?? throw new JsonException("The response payload is null.");
    }

    private string RequireResponse() =>
        Response ?? throw new InvalidOperationException($"Message {Id} ({Action}) was dropped after {Attempts} attempts: {ErrorCode} {ErrorDescription}");
}

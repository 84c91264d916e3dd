using System.Text.Json;

namespace Ocpp.Rpc;

/// <summary>
/// An OCPP-J RPC error. Thrown by <c>CallAsync</c> when the peer answers with a CALLERROR, and thrown by handlers to
/// answer a CALL with a CALLERROR of a chosen code. Each code has a subclass (e.g.
/// <see cref="OcppSecurityErrorException"/>) so callers can catch one kind.
/// </summary>
public class OcppRpcException : OcppException
{
    /// <summary>Creates an error with a code, description and optional details.</summary>
    /// <param name="code">The version-neutral code.</param>
    /// <param name="description">The errorDescription (truncated to 255 characters on the wire).</param>
    /// <param name="details">The errorDetails object; <see langword="null"/> sends <c>{}</c>.</param>
    public OcppRpcException(OcppErrorCode code, string? description = null, JsonElement? details = null)
        : this(code, null, description, details)
    {
    }

    /// <summary>Creates an error that keeps the exact wire spelling it was received with.</summary>
    /// <param name="code">The version-neutral code.</param>
    /// <param name="wireCode">The code as spelled on the wire, or <see langword="null"/> to derive it.</param>
    /// <param name="description">The errorDescription.</param>
    /// <param name="details">The errorDetails.</param>
    public OcppRpcException(OcppErrorCode code, string? wireCode, string? description, JsonElement? details)
        : base(BuildMessage(code, wireCode, description))
    {
        Code = code;
        WireCode = wireCode;
        Description = description ?? string.Empty;
        Details = details;
    }

    /// <summary>The version-neutral error code.</summary>
    public OcppErrorCode Code { get; }

    /// <summary>The code exactly as received from the peer; <see langword="null"/> for errors raised locally.</summary>
    public string? WireCode { get; }

    /// <summary>The errorDescription ("" when none).</summary>
    public string Description { get; }

    /// <summary>The errorDetails object, if any.</summary>
    public JsonElement? Details { get; }

    /// <summary>
    /// True only for InternalError (the peer failed while handling the call and may not next time); every other code
    /// is the peer's verdict on the call itself and will not change on a retry.
    /// </summary>
    public override bool IsTransient => Code == OcppErrorCode.InternalError;

    /// <summary>Creates the exception subclass for <paramref name="code"/>.</summary>
    /// <param name="code">The version-neutral code.</param>
    /// <param name="wireCode">The wire spelling, if received.</param>
    /// <param name="description">The errorDescription.</param>
    /// <param name="details">The errorDetails.</param>
    public static OcppRpcException Create(OcppErrorCode code, string? wireCode, string? description, JsonElement? details) => code switch
    {
        OcppErrorCode.NotImplemented => new OcppNotImplementedException(description, details, wireCode),
        OcppErrorCode.NotSupported => new OcppNotSupportedException(description, details, wireCode),
        OcppErrorCode.InternalError => new OcppInternalErrorException(description, details, wireCode),
        OcppErrorCode.ProtocolError => new OcppProtocolErrorException(description, details, wireCode),
        OcppErrorCode.SecurityError => new OcppSecurityErrorException(description, details, wireCode),
        OcppErrorCode.FormatViolation => new OcppFormatViolationException(description, details, wireCode),
        OcppErrorCode.PropertyConstraintViolation => new OcppPropertyConstraintViolationException(description, details, wireCode),
        OcppErrorCode.OccurrenceConstraintViolation => new OcppOccurrenceConstraintViolationException(description, details, wireCode),
        OcppErrorCode.TypeConstraintViolation => new OcppTypeConstraintViolationException(description, details, wireCode),
        OcppErrorCode.GenericError => new OcppGenericErrorException(description, details, wireCode),
        OcppErrorCode.MessageTypeNotSupported => new OcppMessageTypeNotSupportedException(description, details, wireCode),
        OcppErrorCode.RpcFrameworkError => new OcppRpcFrameworkErrorException(description, details, wireCode),
        _ => new OcppRpcException(code, wireCode, description, details),
    };

    private static string BuildMessage(OcppErrorCode code, string? wireCode, string? description)
    {
        string name = wireCode ?? code.ToString();
        return string.IsNullOrEmpty(description) ? name : $"{name}: {description}";
    }
}

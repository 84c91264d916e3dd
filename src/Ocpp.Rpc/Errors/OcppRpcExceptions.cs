using System.Text.Json;

namespace Ocpp.Rpc;

/// <summary>RPC error <see cref="OcppErrorCode.NotImplemented"/>: The requested action is not known by the receiver.</summary>
public sealed class OcppNotImplementedException : OcppRpcException
{
    /// <summary>Creates the error.</summary>
    /// <param name="description">The errorDescription.</param>
    /// <param name="details">The errorDetails object, if any.</param>
    /// <param name="wireCode">The wire spelling when received from a peer.</param>
    public OcppNotImplementedException(string? description = null, JsonElement? details = null, string? wireCode = null)
        : base(OcppErrorCode.NotImplemented, wireCode, description, details)
    {
    }
}

/// <summary>RPC error <see cref="OcppErrorCode.NotSupported"/>: The requested action is recognized but not supported by the receiver.</summary>
public sealed class OcppNotSupportedException : OcppRpcException
{
    /// <summary>Creates the error.</summary>
    /// <param name="description">The errorDescription.</param>
    /// <param name="details">The errorDetails object, if any.</param>
    /// <param name="wireCode">The wire spelling when received from a peer.</param>
    public OcppNotSupportedException(string? description = null, JsonElement? details = null, string? wireCode = null)
        : base(OcppErrorCode.NotSupported, wireCode, description, details)
    {
    }
}

/// <summary>RPC error <see cref="OcppErrorCode.InternalError"/>: An internal error occurred and the receiver could not process the action.</summary>
public sealed class OcppInternalErrorException : OcppRpcException
{
    /// <summary>Creates the error.</summary>
    /// <param name="description">The errorDescription.</param>
    /// <param name="details">The errorDetails object, if any.</param>
    /// <param name="wireCode">The wire spelling when received from a peer.</param>
    public OcppInternalErrorException(string? description = null, JsonElement? details = null, string? wireCode = null)
        : base(OcppErrorCode.InternalError, wireCode, description, details)
    {
    }
}

/// <summary>RPC error <see cref="OcppErrorCode.ProtocolError"/>: The payload for the action is incomplete.</summary>
public sealed class OcppProtocolErrorException : OcppRpcException
{
    /// <summary>Creates the error.</summary>
    /// <param name="description">The errorDescription.</param>
    /// <param name="details">The errorDetails object, if any.</param>
    /// <param name="wireCode">The wire spelling when received from a peer.</param>
    public OcppProtocolErrorException(string? description = null, JsonElement? details = null, string? wireCode = null)
        : base(OcppErrorCode.ProtocolError, wireCode, description, details)
    {
    }
}

/// <summary>RPC error <see cref="OcppErrorCode.SecurityError"/>: A security issue occurred during processing of the action.</summary>
public sealed class OcppSecurityErrorException : OcppRpcException
{
    /// <summary>Creates the error.</summary>
    /// <param name="description">The errorDescription.</param>
    /// <param name="details">The errorDetails object, if any.</param>
    /// <param name="wireCode">The wire spelling when received from a peer.</param>
    public OcppSecurityErrorException(string? description = null, JsonElement? details = null, string? wireCode = null)
        : base(OcppErrorCode.SecurityError, wireCode, description, details)
    {
    }
}

/// <summary>RPC error <see cref="OcppErrorCode.FormatViolation"/>: The payload is syntactically incorrect (1.6 wire: FormationViolation).</summary>
public sealed class OcppFormatViolationException : OcppRpcException
{
    /// <summary>Creates the error.</summary>
    /// <param name="description">The errorDescription.</param>
    /// <param name="details">The errorDetails object, if any.</param>
    /// <param name="wireCode">The wire spelling when received from a peer.</param>
    public OcppFormatViolationException(string? description = null, JsonElement? details = null, string? wireCode = null)
        : base(OcppErrorCode.FormatViolation, wireCode, description, details)
    {
    }
}

/// <summary>RPC error <see cref="OcppErrorCode.PropertyConstraintViolation"/>: A field of the payload contains an invalid value.</summary>
public sealed class OcppPropertyConstraintViolationException : OcppRpcException
{
    /// <summary>Creates the error.</summary>
    /// <param name="description">The errorDescription.</param>
    /// <param name="details">The errorDetails object, if any.</param>
    /// <param name="wireCode">The wire spelling when received from a peer.</param>
    public OcppPropertyConstraintViolationException(string? description = null, JsonElement? details = null, string? wireCode = null)
        : base(OcppErrorCode.PropertyConstraintViolation, wireCode, description, details)
    {
    }
}

/// <summary>RPC error <see cref="OcppErrorCode.OccurrenceConstraintViolation"/>: The payload breaks occurrence constraints (1.6 wire: OccurenceConstraintViolation).</summary>
public sealed class OcppOccurrenceConstraintViolationException : OcppRpcException
{
    /// <summary>Creates the error.</summary>
    /// <param name="description">The errorDescription.</param>
    /// <param name="details">The errorDetails object, if any.</param>
    /// <param name="wireCode">The wire spelling when received from a peer.</param>
    public OcppOccurrenceConstraintViolationException(string? description = null, JsonElement? details = null, string? wireCode = null)
        : base(OcppErrorCode.OccurrenceConstraintViolation, wireCode, description, details)
    {
    }
}

/// <summary>RPC error <see cref="OcppErrorCode.TypeConstraintViolation"/>: A field of the payload has a value of the wrong data type.</summary>
public sealed class OcppTypeConstraintViolationException : OcppRpcException
{
    /// <summary>Creates the error.</summary>
    /// <param name="description">The errorDescription.</param>
    /// <param name="details">The errorDetails object, if any.</param>
    /// <param name="wireCode">The wire spelling when received from a peer.</param>
    public OcppTypeConstraintViolationException(string? description = null, JsonElement? details = null, string? wireCode = null)
        : base(OcppErrorCode.TypeConstraintViolation, wireCode, description, details)
    {
    }
}

/// <summary>RPC error <see cref="OcppErrorCode.GenericError"/>: Any other error.</summary>
public sealed class OcppGenericErrorException : OcppRpcException
{
    /// <summary>Creates the error.</summary>
    /// <param name="description">The errorDescription.</param>
    /// <param name="details">The errorDetails object, if any.</param>
    /// <param name="wireCode">The wire spelling when received from a peer.</param>
    public OcppGenericErrorException(string? description = null, JsonElement? details = null, string? wireCode = null)
        : base(OcppErrorCode.GenericError, wireCode, description, details)
    {
    }
}

/// <summary>RPC error <see cref="OcppErrorCode.MessageTypeNotSupported"/>: A message type number the receiver does not support (2.x).</summary>
public sealed class OcppMessageTypeNotSupportedException : OcppRpcException
{
    /// <summary>Creates the error.</summary>
    /// <param name="description">The errorDescription.</param>
    /// <param name="details">The errorDetails object, if any.</param>
    /// <param name="wireCode">The wire spelling when received from a peer.</param>
    public OcppMessageTypeNotSupportedException(string? description = null, JsonElement? details = null, string? wireCode = null)
        : base(OcppErrorCode.MessageTypeNotSupported, wireCode, description, details)
    {
    }
}

/// <summary>RPC error <see cref="OcppErrorCode.RpcFrameworkError"/>: The content is not a valid RPC message (2.x).</summary>
public sealed class OcppRpcFrameworkErrorException : OcppRpcException
{
    /// <summary>Creates the error.</summary>
    /// <param name="description">The errorDescription.</param>
    /// <param name="details">The errorDetails object, if any.</param>
    /// <param name="wireCode">The wire spelling when received from a peer.</param>
    public OcppRpcFrameworkErrorException(string? description = null, JsonElement? details = null, string? wireCode = null)
        : base(OcppErrorCode.RpcFrameworkError, wireCode, description, details)
    {
    }
}

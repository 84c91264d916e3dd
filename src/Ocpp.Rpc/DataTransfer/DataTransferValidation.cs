using Ocpp.Rpc.Validation;

namespace Ocpp.Rpc.Internal;

/// <summary>
/// Strict mode for the response <c>data</c> of typed DataTransfer calls and handlers: the connection's validator, when
/// it is an <see cref="IOcppDataTransferValidator"/>, checks it against the schema of the request's key.
/// </summary>
internal static class DataTransferValidation
{
    /// <summary>The data validator of the connection a call goes out on, if it has one (a routed call has none here).</summary>
    public static IOcppDataTransferValidator? For(IOcppPeer peer, OcppCallOptions? options) => options is { SkipValidation: true } ? null : peer switch
    {
        OcppConnection connection => connection.Options.Validator as IOcppDataTransferValidator,
        Client.OcppClient client => client.Options.Connection.Validator as IOcppDataTransferValidator,
        Clustering.OcppClusterStation station => station.LocalConnection?.Options.Validator as IOcppDataTransferValidator,
        _ => null,
    };

    /// <summary>Throws the connection's usual validation error when <paramref name="payload"/>'s data fails its schema.</summary>
    public static void Check(IOcppDataTransferValidator validator, string protocol, string vendorId, string messageId, ReadOnlySpan<byte> payload, bool outbound)
    {
        OcppValidationFailure? failure;
        try
        {
            failure = validator.ValidateDataTransferResponse(protocol, vendorId, messageId, payload);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            failure = new OcppValidationFailure(OcppErrorCode.InternalError, "The payload could not be validated.", [ex.GetType().Name]);
        }

        if (failure is not null)
        {
            // Outbound (our handler's answer): the peer gets InternalError, as for any response that fails validation.
            throw outbound
                ? OcppRpcException.Create(OcppErrorCode.InternalError, null, "The response failed validation: " + failure.Description, null)
                : OcppRpcException.Create(failure.Code, null, "The response failed validation: " + failure.Description, null);
        }
    }
}

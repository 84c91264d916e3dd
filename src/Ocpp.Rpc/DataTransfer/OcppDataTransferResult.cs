namespace Ocpp.Rpc;

/// <summary>
/// A typed <c>DataTransfer</c> response: its <see cref="Status"/> and, when the response carries one, its <c>data</c>.
/// A handler can return the response record itself, which converts to an <see cref="OcppDataTransferStatus.Accepted"/> result.
/// </summary>
/// <typeparam name="TResponse">The response payload type.</typeparam>
/// <param name="Status">The status.</param>
/// <param name="Data">The response payload, or <see langword="null"/> when the response has no <c>data</c>.</param>
public sealed record OcppDataTransferResult<TResponse>(OcppDataTransferStatus Status, TResponse? Data)
{
    /// <summary>Whether <see cref="Status"/> is <see cref="OcppDataTransferStatus.Accepted"/>.</summary>
    public bool IsAccepted => Status == OcppDataTransferStatus.Accepted;

    /// <summary>An accepted response with <paramref name="data"/>.</summary>
    /// <param name="data">The response payload.</param>
    /// <returns>The result.</returns>
    public static OcppDataTransferResult<TResponse> Accepted(TResponse data) => new(OcppDataTransferStatus.Accepted, data);

    /// <summary>A <c>Rejected</c> response, with optional data.</summary>
    /// <param name="data">The response payload, if any.</param>
    /// <returns>The result.</returns>
    public static OcppDataTransferResult<TResponse> Rejected(TResponse? data = default) => new(OcppDataTransferStatus.Rejected, data);

    /// <summary>Converts a response payload to an accepted result.</summary>
    /// <param name="data">The response payload.</param>
    public static implicit operator OcppDataTransferResult<TResponse>(TResponse data) => Accepted(data);

    /// <summary>Converts a response payload to an accepted result (the named alternative of the implicit conversion).</summary>
    /// <param name="data">The response payload.</param>
    /// <returns>The result.</returns>
    public static OcppDataTransferResult<TResponse> FromTResponse(TResponse data) => Accepted(data);
}

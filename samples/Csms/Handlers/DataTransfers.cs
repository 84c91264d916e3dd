namespace Ocpp.Rpc.Samples.Csms.Handlers;

/// <summary>The vendor id this CSMS accepts in DataTransfer (other vendors get <c>UnknownVendorId</c>).</summary>
internal static class DataTransfers
{
    public const string VendorId = "org.ocpp-rpc.samples";
}

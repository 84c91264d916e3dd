using Ocpp.CodeGen.Tests.RoundTrip;

namespace Ocpp.CodeGen.Tests;

// The code the MSBuild targets generated into obj/ for this project, through a real server and clients in strict mode.
public sealed class VendorRoundTripTests
{
    [Fact]
    public async Task Vendor_DataTransfer_and_actions_round_trip_through_a_real_server_and_client_in_strict_mode()
    {
        var log = await VendorRoundTrip.RunAsync();
        log.Should().Contain("1.6 CallDataTransferAsync SetDisplay: Accepted, lines 2")
            .And.Contain("2.0.1 CallDataTransferAsync SetDisplay: Accepted, shown 2")
            .And.Contain(l => l.StartsWith("1.6 text of 21 characters: PropertyConstraintViolation (data.text", StringComparison.Ordinal));
    }
}

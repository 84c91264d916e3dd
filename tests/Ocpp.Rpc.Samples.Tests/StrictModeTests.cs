using Ocpp.Rpc.Client;
using Ocpp.Rpc.Samples.Csms;

namespace Ocpp.Rpc.Samples.Tests;

/// <summary><c>--strict</c>: payloads are checked against the official schemas before the typed handlers see them.</summary>
public sealed class StrictModeTests
{
    [Theory]
    [InlineData("ocpp1.6", """{"chargePointModel":"X1"}""", true, OcppErrorCode.OccurrenceConstraintViolation, "OccurenceConstraintViolation")]
    [InlineData("ocpp1.6", """{"chargePointModel":"X1"}""", false, OcppErrorCode.FormatViolation, "FormationViolation")]
    [InlineData("ocpp2.0.1", """{"reason":"Tuesday","chargingStation":{"model":"X1","vendorName":"Acme"}}""", true, OcppErrorCode.PropertyConstraintViolation, "PropertyConstraintViolation")]
    [InlineData("ocpp2.1", """{"reason":"PowerUp","chargingStation":{"model":42,"vendorName":"Acme"}}""", true, OcppErrorCode.TypeConstraintViolation, "TypeConstraintViolation")]
    public async Task An_invalid_BootNotification_gets_the_CALLERROR_of_its_violation(string protocol, string payload, bool strict, OcppErrorCode code, string wireCode)
    {
        await using CsmsApp csms = await CsmsApp.StartAsync(CsmsOptions.Default with { Port = 0, Strict = strict });
        await using var station = new OcppClient(new OcppClientOptions
        {
            Endpoint = new Uri($"ws://127.0.0.1:{csms.Port}/ocpp"),
            Identity = "BAD-1",
            Protocols = [protocol],
            Reconnect = OcppReconnectOptions.Disabled,
        });
        await station.ConnectAsync();

        Func<Task> boot = () => station.CallAsync("BootNotification", OcppPayload.FromJson(payload));

        OcppRpcException error = (await boot.Should().ThrowAsync<OcppRpcException>()).Which;
        error.Code.Should().Be(code);
        error.WireCode.Should().Be(wireCode);
        csms.State.GetStation("BAD-1")!.BootStatus.Should().BeNull("the handler never ran");
    }
}

using Microsoft.Extensions.DependencyInjection;
using Ocpp.Rpc.AspNetCore.Tests.Support;

namespace Ocpp.Rpc.AspNetCore.Tests.Policies;

// Boot gating (OcppServerOptions.BootGating) over real Kestrel and real stations, per version: SecurityError before an
// accepted boot (except what a Pending station may send), nothing for a Rejected station, the status kept across reconnects.
public sealed class BootGatingTests
{
    private static readonly Dictionary<string, string?> GatingOn = new() { ["Ocpp:BootGating:Enabled"] = "true" };

    public static TheoryData<string> Versions => PolicyCsms.EachVersion;

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Calls_before_an_accepted_boot_get_SecurityError_and_a_reconnect_keeps_the_accepted_status(string protocol)
    {
        await using HostedApp host = await PolicyCsms.StartAsync(GatingOn);
        string identity = "acc-" + protocol.Replace('.', '-');
        await using (OcppConnection station = await PolicyCsms.ConnectAsync(host, identity, protocol))
        {
            var refused = await FluentActions.Awaiting(() => station.CallAsync("Authorize", PolicyCsms.AuthorizePayload(protocol))).Should().ThrowAsync<OcppSecurityErrorException>();
            refused.Which.WireCode.Should().Be("SecurityError");
            refused.Which.Description.Should().Be("Authorize is not allowed before the BootNotification has been accepted.");

            // An unknown action is gated too (the filter answers before NotImplemented would).
            await FluentActions.Awaiting(() => station.CallAsync("VendorThing")).Should().ThrowAsync<OcppSecurityErrorException>();

            // What a Pending station may send passes before the boot.
            (await station.CallAsync("Heartbeat")).GetProperty("currentTime").GetString().Should().NotBeNull();

            (await station.CallAsync("BootNotification", PolicyCsms.BootPayload(protocol))).GetProperty("status").GetString().Should().Be("Accepted");
            host.Server.GetBootStatus(identity).Should().Be(OcppBootStatus.Accepted);
            (await station.CallAsync("Authorize", PolicyCsms.AuthorizePayload(protocol))).ValueKind.Should().Be(System.Text.Json.JsonValueKind.Object);
            await station.CloseAsync();
        }

        await Await.UntilAsync(() => host.Server.ConnectionCount == 0);

        // The station reconnects without booting again (as stations do): it is not gated.
        await using OcppConnection again = await PolicyCsms.ConnectAsync(host, identity, protocol);
        (await again.CallAsync("Authorize", PolicyCsms.AuthorizePayload(protocol))).ValueKind.Should().Be(System.Text.Json.JsonValueKind.Object);
        (await host.Server.BootStatusStore!.GetAsync(identity)).Should().Be(OcppBootStatus.Accepted);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task A_pending_station_may_send_only_what_the_spec_lets_it_until_a_later_boot_is_accepted(string protocol)
    {
        await using HostedApp host = await PolicyCsms.StartAsync(GatingOn);
        string identity = "pend-" + protocol.Replace('.', '-');
        await using OcppConnection station = await PolicyCsms.ConnectAsync(host, identity, protocol);
        (await station.CallAsync("BootNotification", PolicyCsms.BootPayload(protocol))).GetProperty("status").GetString().Should().Be("Pending");
        host.Server.GetBootStatus(identity).Should().Be(OcppBootStatus.Pending);

        await FluentActions.Awaiting(() => station.CallAsync("Authorize", PolicyCsms.AuthorizePayload(protocol))).Should().ThrowAsync<OcppSecurityErrorException>();
        await station.CallAsync("StatusNotification", OcppPayload.FromJson("{}"));
        await station.CallAsync("Heartbeat");

        // The operator accepts the station (as a later BootNotification answered Accepted would).
        await host.Server.SetBootStatusAsync(identity, OcppBootStatus.Accepted);
        await station.CallAsync("Authorize", PolicyCsms.AuthorizePayload(protocol));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task A_rejected_station_gets_only_BootNotification_answered_also_after_a_reconnect(string protocol)
    {
        await using HostedApp host = await PolicyCsms.StartAsync(GatingOn);
        string identity = "rej-" + protocol.Replace('.', '-');
        TimeSpan shortWait = TimeSpan.FromMilliseconds(600);
        await using (OcppConnection station = await PolicyCsms.ConnectAsync(host, identity, protocol, shortWait))
        {
            (await station.CallAsync("BootNotification", PolicyCsms.BootPayload(protocol))).GetProperty("status").GetString().Should().Be("Rejected");
            await FluentActions.Awaiting(() => station.CallAsync("Heartbeat")).Should().ThrowAsync<OcppCallTimeoutException>();
            await FluentActions.Awaiting(() => station.CallAsync("Authorize", PolicyCsms.AuthorizePayload(protocol))).Should().ThrowAsync<OcppCallTimeoutException>();

            // BootNotification stays answered (a Rejected station retries it after the interval).
            (await station.CallAsync("BootNotification", PolicyCsms.BootPayload(protocol))).GetProperty("status").GetString().Should().Be("Rejected");
            await station.CloseAsync();
        }

        await Await.UntilAsync(() => host.Server.ConnectionCount == 0);
        int stationCalls = 0;
        await using OcppConnection again = await Station.ConnectAsync(host.Url(identity), [protocol], setup: c => c.Handle("GetConfiguration", _ =>
        {
            Interlocked.Increment(ref stationCalls);
            return PolicyCsms.Reply("{}");
        }), options: OcppConnectionOptions.Default with { CallTimeout = shortWait });
        await FluentActions.Awaiting(() => again.CallAsync("Heartbeat")).Should().ThrowAsync<OcppCallTimeoutException>();
        host.Server.GetBootStatus(identity).Should().Be(OcppBootStatus.Rejected);

        // The CSMS sends a Rejected station nothing: its calls fail at once, unsent.
        var refused = await FluentActions.Awaiting(() => host.Server.CallAsync(identity, "GetConfiguration")).Should().ThrowAsync<OcppStationRejectedException>();
        refused.Which.Identity.Should().Be(identity);
        refused.Which.Action.Should().Be("GetConfiguration");
        refused.Which.Message.Should().Contain("answered Rejected");
        await FluentActions.Awaiting(() => host.Server.GetStation(identity).CallAsync("GetConfiguration")).Should().ThrowAsync<OcppStationRejectedException>();

        // Once accepted (by the operator here), calls go out again.
        await host.Server.SetBootStatusAsync(identity, OcppBootStatus.Accepted);
        await host.Server.CallAsync(identity, "GetConfiguration");
        stationCalls.Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task The_CSMS_may_call_a_station_that_is_pending_or_has_not_booted(string protocol)
    {
        await using HostedApp host = await PolicyCsms.StartAsync(GatingOn);
        string identity = "pend-out-" + protocol.Replace('.', '-');
        await using OcppConnection station = await Station.ConnectAsync(host.Url(identity), [protocol], setup: c => c.Handle("GetBaseReport", _ => PolicyCsms.Reply("""{"status":"Accepted"}""")));
        await Await.UntilAsync(() => host.Server.TryGetConnection(identity, out _));
        (await host.Server.CallAsync(identity, "GetBaseReport")).GetProperty("status").GetString().Should().Be("Accepted");
        await station.CallAsync("BootNotification", PolicyCsms.BootPayload(protocol));
        host.Server.GetBootStatus(identity).Should().Be(OcppBootStatus.Pending);
        (await host.Server.CallAsync(identity, "GetBaseReport")).GetProperty("status").GetString().Should().Be("Accepted");
    }

    [Fact]
    public async Task Rejected_stations_can_be_answered_with_SecurityError_and_the_pending_list_replaced_from_configuration()
    {
        await using HostedApp host = await PolicyCsms.StartAsync(new()
        {
            ["Ocpp:BootGating:AnswerRejectedStations"] = "true",
            ["Ocpp:BootGating:PendingActions"] = "Authorize",
        });
        host.Server.Options.BootGating!.PendingActions.Should().Equal("Authorize");

        await using OcppConnection pending = await PolicyCsms.ConnectAsync(host, "pend-list", OcppProtocols.Ocpp201);
        await pending.CallAsync("Authorize", PolicyCsms.AuthorizePayload(OcppProtocols.Ocpp201));
        await FluentActions.Awaiting(() => pending.CallAsync("Heartbeat")).Should().ThrowAsync<OcppSecurityErrorException>();

        await using OcppConnection rejected = await PolicyCsms.ConnectAsync(host, "rej-answered", OcppProtocols.Ocpp16);
        await rejected.CallAsync("BootNotification", PolicyCsms.BootPayload(OcppProtocols.Ocpp16));
        (await FluentActions.Awaiting(() => rejected.CallAsync("Heartbeat")).Should().ThrowAsync<OcppSecurityErrorException>())
            .Which.Description.Should().Contain("Rejected");
    }

    [Fact]
    public async Task Gating_is_off_by_default_and_a_store_given_in_code_is_used()
    {
        await using (HostedApp plain = await PolicyCsms.StartAsync([]))
        {
            plain.Server.BootStatusStore.Should().BeNull();
            await using OcppConnection station = await PolicyCsms.ConnectAsync(plain, "anyone", OcppProtocols.Ocpp16);
            await station.CallAsync("Authorize", PolicyCsms.AuthorizePayload(OcppProtocols.Ocpp16));
        }

        var store = new InMemoryOcppBootStatusStore();
        await store.SetAsync("seeded", OcppBootStatus.Accepted);
        await using HostedApp host = await PolicyCsms.StartAsync([], ocpp => ocpp.Configure(o => o with { BootGating = new OcppBootGatingOptions { Store = store } }));
        host.Server.BootStatusStore.Should().BeSameAs(store);
        await using OcppConnection seeded = await PolicyCsms.ConnectAsync(host, "seeded", OcppProtocols.Ocpp21);
        await seeded.CallAsync("Authorize", PolicyCsms.AuthorizePayload(OcppProtocols.Ocpp21));
        await using OcppConnection booted = await PolicyCsms.ConnectAsync(host, "acc-code", OcppProtocols.Ocpp21);
        await booted.CallAsync("BootNotification", PolicyCsms.BootPayload(OcppProtocols.Ocpp21));
        (await store.GetAsync("acc-code")).Should().Be(OcppBootStatus.Accepted);
    }
}

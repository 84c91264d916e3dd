using System.Text.Json;
using Ocpp.Rpc.AspNetCore.Tests.Support;

namespace Ocpp.Rpc.AspNetCore.Tests.Policies;

// OcppServerOptions.DuplicateCalls from an "Ocpp:DuplicateCalls" section, over real Kestrel and a real station.
public sealed class DuplicateCallConfigurationTests
{
    [Fact]
    public async Task The_section_turns_the_memory_on_with_its_settings_and_a_retry_is_answered_once()
    {
        await using HostedApp host = await PolicyCsms.StartAsync(new()
        {
            ["Ocpp:DuplicateCalls:MaxEntriesPerStation"] = "8",
            ["Ocpp:DuplicateCalls:TimeToLive"] = "00:05:00",
            ["Ocpp:DuplicateCalls:ClaimTimeout"] = "00:00:10",
            ["Ocpp:DuplicateCalls:Actions:0"] = "*",
        });
        OcppDuplicateCallOptions options = host.Server.Options.DuplicateCalls!;
        options.MaxEntriesPerStation.Should().Be(8);
        options.TimeToLive.Should().Be(TimeSpan.FromMinutes(5));
        options.ClaimTimeout.Should().Be(TimeSpan.FromSeconds(10));
        options.Actions.Should().BeNull("* remembers every action");

        int runs = 0;
        host.Server.Handle("DataTransfer", _ => PolicyCsms.Reply($$"""{"status":"Accepted","data":"{{Interlocked.Increment(ref runs)}}"}"""));
        await using OcppConnection station = await PolicyCsms.ConnectAsync(host, "CP-CFG", OcppProtocols.Ocpp16);
        var sameId = new OcppCallOptions { MessageId = "dt-1" };
        JsonElement first = await station.CallAsync("DataTransfer", OcppPayload.FromJson("""{"vendorId":"x"}"""), sameId);
        JsonElement again = await station.CallAsync("DataTransfer", OcppPayload.FromJson("""{"vendorId":"x"}"""), sameId);
        again.GetProperty("data").GetString().Should().Be(first.GetProperty("data").GetString()).And.Be("1");
        Volatile.Read(ref runs).Should().Be(1);
    }

    [Fact]
    public async Task Bad_settings_stop_the_start_naming_their_keys_and_false_turns_it_off()
    {
        Func<Task> start = () => PolicyCsms.StartAsync(new()
        {
            ["Ocpp:DuplicateCalls:MaxEntriesPerStation"] = "0",
            ["Ocpp:DuplicateCalls:ClaimTimeout"] = "00:00:00",
        });
        (await start.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>()).Which.Failures.Should().BeEquivalentTo(
            "Ocpp:DuplicateCalls:MaxEntriesPerStation must be at least 1 (is 0).",
            "Ocpp:DuplicateCalls:ClaimTimeout must be positive (is 00:00:00).");

        await using HostedApp off = await PolicyCsms.StartAsync(new() { ["Ocpp:DuplicateCalls"] = "false" });
        off.Server.Options.DuplicateCalls.Should().BeNull();
        await using HostedApp on = await PolicyCsms.StartAsync(new() { ["Ocpp:DuplicateCalls"] = "true" });
        on.Server.Options.DuplicateCalls.Should().Be(OcppDuplicateCallOptions.Default);
    }
}

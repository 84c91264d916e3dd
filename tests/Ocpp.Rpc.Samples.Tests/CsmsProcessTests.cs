using System.Text.Json;
using Ocpp.Rpc.Client;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.Samples.Tests;

/// <summary>The Csms sample as a real process: signals with its input left open, and what it prints.</summary>
public sealed class CsmsProcessTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [UnixTheory]
    [InlineData(CsmsProcess.SIGTERM)]
    [InlineData(CsmsProcess.SIGINT)]
    public async Task A_signal_closes_the_stations_with_1001_and_exits_0_while_the_input_stays_open(int signal)
    {
        await using CsmsProcess csms = await CsmsProcess.StartAsync();
        await using OcppClient station = Station(csms, "CP-SIGNAL", OcppProtocols.Ocpp16);
        var closed = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        station.Disconnected += (_, e) => closed.TrySetResult(e.Code);
        await station.ConnectAsync();
        await csms.WaitForOutputAsync("CP-SIGNAL connected (ocpp1.6)", "the station to be registered");

        if (csms.Ignores(signal))
        {
            return; // inherited SIG_IGN (the tests were started as a background job of a script): nothing can be tested
        }

        // The command loop is waiting for a line on the still-open input (docker run -i, a pipe, a terminal).
        csms.Signal(signal);

        (await closed.Task.WaitAsync(Deadline)).Should().Be(OcppCloseCodes.GoingAway, csms.Output);
        (await csms.WaitForExitAsync(Deadline)).Should().Be(0, csms.Output);
        csms.Output.Should().Contain("Stopping: closing every station (1001).");
    }

    [UnixFact]
    public async Task What_stations_send_is_escaped_in_the_log_and_in_the_console_replies()
    {
        const string Hostile = "\u001b]0;PWNED\u0007"; // sets the terminal's title, then rings its bell
        await using CsmsProcess csms = await CsmsProcess.StartAsync();
        await using OcppClient station = Station(csms, "CP-ESCAPE", OcppProtocols.Ocpp201);
        await station.ConnectAsync();

        await station.CallAsync("BootNotification", OcppPayload.FromJson(JsonSerializer.Serialize(new
        {
            reason = "PowerUp",
            chargingStation = new { vendorName = Hostile, model = "X1\u009b2J" }, // U+009B: a one-byte CSI
        })));
        await station.CallAsync("Authorize", OcppPayload.FromJson(JsonSerializer.Serialize(new
        {
            idToken = new { idToken = "TAG\u001b[2J", type = "Central" },
        })));
        await csms.WriteLineAsync("stations");

        // Once in the Booted log line, once in the stations listing; and the idTag in the Authorize log line.
        await Eventually.TrueAsync(() => Occurrences(csms.Output, "PWNED") >= 2 && csms.Output.Contains("authorize TAG", StringComparison.Ordinal), "the vendor in the log and the listing");
        string output = csms.Output;
        output.Should().NotContain("\u001b]0;PWNED").And.NotContain("\u0007").And.NotContain("\u009b").And.NotContain("\u001b[2J");
        Occurrences(output, @"\u001b]0;PWNED\u0007").Should().Be(2, output);
        output.Should().Contain(@"X1\u009b2J").And.Contain(@"authorize TAG\u001b[2J: Accepted");

        await csms.WriteLineAsync("quit");
        (await csms.WaitForExitAsync(Deadline)).Should().Be(0, csms.Output);
    }

    private static OcppClient Station(CsmsProcess csms, string identity, string protocol) => new(new OcppClientOptions
    {
        Endpoint = new Uri($"ws://127.0.0.1:{csms.Port}/ocpp"),
        Identity = identity,
        Protocols = [protocol],
        Reconnect = OcppReconnectOptions.Disabled,
    });

    private static int Occurrences(string text, string value)
    {
        int count = 0;
        for (int i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}

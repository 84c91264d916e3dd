using Ocpp.Rpc.Client;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.Samples.Tests;

/// <summary>The Csms sample as a real process: signals with its input left open.</summary>
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

    private static OcppClient Station(CsmsProcess csms, string identity, string protocol) => new(new OcppClientOptions
    {
        Endpoint = new Uri($"ws://127.0.0.1:{csms.Port}/ocpp"),
        Identity = identity,
        Protocols = [protocol],
        Reconnect = OcppReconnectOptions.Disabled,
    });
}

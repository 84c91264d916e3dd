using Ocpp.Rpc.Samples.QuickStart;

namespace Ocpp.Rpc.Samples.Tests;

public sealed class QuickStartTests
{
    [Fact]
    public async Task Runs_the_whole_exchange_over_a_real_WebSocket_and_exits_0()
    {
        var output = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        int exitCode = await QuickStartDemo.RunAsync(output, timeout.Token);

        string transcript = output.ToString();
        exitCode.Should().Be(0, transcript);
        foreach (string action in (string[])["BootNotification", "Heartbeat", "StatusNotification", "Authorize", "StartTransaction", "MeterValues", "StopTransaction"])
        {
            transcript.Should().Contain($"CP-001 -> CSMS   CALL       {action}");
            transcript.Should().Contain($"CSMS -> CP-001   RESULT     {action}");
        }

        transcript.Should().Contain("\"measurand\":\"Energy.Active.Import.Register\"");
        transcript.Should().Contain("CSMS -> CP-001   CALL       GetConfiguration");
        transcript.Should().Contain("CP-001 -> CSMS   RESULT     Reset                {\"status\":\"Accepted\"}");
        transcript.Should().Contain("transaction 1 of CP-001 delivered 2000 Wh");
        transcript.Should().NotContain("ERROR");
    }
}

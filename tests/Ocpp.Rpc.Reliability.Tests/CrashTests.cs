using Ocpp.Rpc.Reliability.Tests.Support;
using Ocpp.Rpc.Tests.Shared;

namespace Ocpp.Rpc.Reliability.Tests;

// Acceptance (b): the station process killed with SIGKILL at random points while it sends (seeded, so a failure
// replays): after each restart on the same SQLite file nothing is lost or reordered, and with the CSMS's
// duplicate-call memory on no message is handled twice. OCPP_CRASH_RUNS sets the number of seeded runs (default 20, about 0.8 s each).
public sealed class CrashTests : IDisposable
{
    private const int Messages = 120;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<int> Seeds()
    {
        int runs = int.TryParse(Environment.GetEnvironmentVariable("OCPP_CRASH_RUNS"), out int n) && n > 0 ? n : 20;
        var seeds = new TheoryData<int>();
        for (int seed = 1; seed <= runs; seed++)
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task A_station_killed_while_sending_loses_reorders_and_duplicates_nothing(int seed)
    {
        var random = new Random(seed);
        var filter = new OcppDuplicateCallFilter();
        await using Csms csms = await Csms.StartAsync(filter);
        string identity = $"CP-KILL-{seed}";
        string store = _dir.File($"station-{seed}.db");
        string[] common = ["--url", csms.Endpoint.ToString(), "--store", store, "--identity", identity];

        // Two kills at random points of the message stream (the second one later than the first), then a clean run.
        int firstKill = random.Next(1, Messages / 2);
        int secondKill = random.Next(firstKill + 1, Messages - 1);
        var kills = new List<int>();
        foreach ((int killAt, bool enqueue) in new[] { (firstKill, true), (secondKill, false) })
        {
            await using ChildProcess station = ChildProcess.Start("Ocpp.Rpc.Reliability.Station.dll", [.. common, "--enqueue", enqueue ? Messages.ToString(System.Globalization.CultureInfo.InvariantCulture) : "0"]);
            await station.WaitForLineAsync("SENDING");
            await Eventually.TrueAsync(() => csms.Seqs(identity).Count >= killAt, $"the CSMS to see {killAt} messages (seed {seed})");
            if (random.Next(2) == 1)
            {
                Thread.SpinWait(random.Next(1, 20_000)); // A little later, so the kill lands anywhere in the next exchange.
            }

            await station.KillAsync();
            kills.Add(csms.Seqs(identity).Count);
        }

        await using (ChildProcess last = ChildProcess.Start("Ocpp.Rpc.Reliability.Station.dll", [.. common, "--enqueue", "0"]))
        {
            await last.WaitForLineAsync("DONE");
            (await last.WaitForExitAsync()).Should().Be(0, last.Output);
        }

        csms.Seqs(identity).Should().Equal(Enumerable.Range(0, Messages), $"seed {seed}, killed after {string.Join(" and ", kills)} messages");
        using SqliteOcppMessageStore reopened = SqliteOcppMessageStore.Open(store);
        (await reopened.LoadPendingAsync()).Should().BeEmpty();
    }
}

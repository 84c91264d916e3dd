using System.Text;
using System.Text.Json;
using Ocpp.Rpc.Framing;
using Ocpp.Rpc.Tests.Support;
using Ocpp.Rpc.TestSupport;
using Xunit.Abstractions;

namespace Ocpp.Rpc.Tests;

/// <summary>
/// Bounded, seeded fuzzing of the frame reader and the dispatcher: random bytes, mutated valid frames, odd JSON,
/// deep nesting, huge numbers, invalid UTF-8 and ids around the 36-character limit. Every reply must be a
/// spec-correct frame for the version, nothing may throw, and the connection must stay usable.
/// </summary>
[Collection(nameof(FuzzTests))]
public class FuzzTests(ITestOutputHelper output)
{
    private const int MessagesPerRun = 1500;

    [Theory]
    [InlineData(OcppProtocols.Ocpp16, 1)]
    [InlineData(OcppProtocols.Ocpp201, 2)]
    [InlineData(OcppProtocols.Ocpp21, 3)]
    public async Task Dispatcher_survives_random_and_mutated_frames(string protocol, int seed)
    {
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        int unobserved = 0;
        EventHandler<UnobservedTaskExceptionEventArgs> onUnobserved = (_, _) => Interlocked.Increment(ref unobserved);
        TaskScheduler.UnobservedTaskException += onUnobserved;
        try
        {
            await using RawPeer peer = RawPeer.Create(protocol, OcppConnectionOptions.Default with { MaxBadMessages = null, MaxBadMessagesPerMinute = null, CallTimeout = TimeSpan.FromMilliseconds(1) },
                c => c.Handle("Echo", ctx => new ValueTask<OcppReply>(ctx.PayloadElement)));
            OcppDialect dialect = OcppProtocols.GetDialect(protocol);
            int replies = 0;
            for (int i = 0; i < MessagesPerRun; i++)
            {
                byte[] message = FrameFuzzer.Generate(random);
                await peer.SendBytesAsync(message);

                // A sentinel call marks the end of whatever the fuzzed message caused.
                string sentinel = $"s{i}";
                await peer.SendAsync($$"""[2,"{{sentinel}}","Echo",{}]""");
                while (true)
                {
                    string reply = await peer.ReceiveAsync();
                    JsonElement frame = SpecReplies.AssertSpecCorrect(reply, dialect, Encoding.UTF8.GetString(message));
                    if (frame[1].GetString() == sentinel)
                    {
                        frame[0].GetInt32().Should().Be(3, "the connection must stay usable");
                        break;
                    }

                    replies++;
                }
            }

            peer.Connection.State.Should().Be(OcppConnectionState.Open);
            output.WriteLine($"{MessagesPerRun} fuzzed messages, {replies} replies");
        }
        finally
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            TaskScheduler.UnobservedTaskException -= onUnobserved;
        }

        unobserved.Should().Be(0, "no task may fail unobserved");
    }

    [Fact]
    public void Reader_never_throws_on_random_input()
    {
        var random = new Random(42);
        for (int i = 0; i < 20_000; i++)
        {
            byte[] message = FrameFuzzer.Generate(random);
            bool ok = OcppFrameReader.TryRead(message, out OcppFrame frame, out OcppFrameError error);
            if (ok)
            {
                frame.MessageId.Length.Should().BeLessThanOrEqualTo(36);
                JsonDocument.Parse(message).Dispose(); // whatever the reader accepts is valid JSON
            }
            else
            {
                error.Description.Should().NotBeNullOrEmpty();
            }
        }
    }
}

/// <summary>Fuzzing counts unobserved task exceptions process-wide, so it runs alone, after the parallel tests.</summary>
[CollectionDefinition(nameof(FuzzTests), DisableParallelization = true)]
public sealed class FuzzTestsCollection;

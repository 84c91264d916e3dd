using System.Text;
using System.Text.Json;
using Ocpp.Rpc.Framing;
using Ocpp.Rpc.Tests.Support;
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

    private static readonly byte[] Punctuation = "[]{}\",:\\0-e"u8.ToArray();

    private static readonly string[] Seeds =
    [
        """[2,"id-1","Echo",{"a":1,"b":[true,false,null],"c":{"d":"e"}}]""",
        """[3,"id-2",{"currentTime":"2025-01-01T00:00:00Z"}]""",
        """[4,"id-3","GenericError","text",{"k":"v"}]""",
        """[5,"id-4","FormatViolation","",{}]""",
        """[6,"id-5","Echo",{"x":[1,2,3]}]""",
        """[2,"012345678901234567890123456789012345","Echo",{}]""",
        """[2,"0123456789012345678901234567890123456","Echo",{}]""",
        """[2,"id-6","Echo",null]""",
    ];

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
            await using RawPeer peer = RawPeer.Create(protocol, OcppConnectionOptions.Default with { MaxBadMessages = null, CallTimeout = TimeSpan.FromMilliseconds(1) },
                c => c.Handle("Echo", ctx => new ValueTask<OcppReply>(ctx.PayloadElement)));
            OcppDialect dialect = OcppProtocols.GetDialect(protocol);
            int replies = 0;
            for (int i = 0; i < MessagesPerRun; i++)
            {
                byte[] message = Generate(random);
                await peer.SendBytesAsync(message);

                // A sentinel call marks the end of whatever the fuzzed message caused.
                string sentinel = $"s{i}";
                await peer.SendAsync($$"""[2,"{{sentinel}}","Echo",{}]""");
                while (true)
                {
                    string reply = await peer.ReceiveAsync();
                    JsonElement frame = AssertSpecCorrect(reply, dialect, message);
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
            byte[] message = Generate(random);
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

    private static JsonElement AssertSpecCorrect(string reply, OcppDialect dialect, byte[] cause)
    {
        JsonElement frame = JsonElement.Parse(reply);
        string because = $"reply {reply} to {Encoding.UTF8.GetString(cause)}";
        frame.ValueKind.Should().Be(JsonValueKind.Array, because);
        int type = frame[0].GetInt32();
        string id = frame[1].GetString()!;
        id.Should().NotBeNullOrEmpty(because);
        switch (type)
        {
            case 3:
                frame.GetArrayLength().Should().Be(3, because);
                frame[2].ValueKind.Should().BeOneOf([JsonValueKind.Object, JsonValueKind.Null], because);
                break;
            case 4:
            case 5:
                (type == 4 || dialect == OcppDialect.Ocpp21).Should().BeTrue(because);
                frame.GetArrayLength().Should().Be(5, because);
                OcppErrorCodes.IsDefined(frame[2].GetString()!, dialect).Should().BeTrue(because);
                frame[3].GetString()!.Length.Should().BeLessThanOrEqualTo(255, because);
                frame[4].ValueKind.Should().Be(JsonValueKind.Object, because);
                break;
            default:
                Assert.Fail($"unexpected message type: {because}");
                break;
        }

        return frame;
    }

    private static byte[] Generate(Random random) => random.Next(8) switch
    {
        0 => RandomBytes(random),
        1 => DeepNesting(random),
        2 => HugeNumbers(random),
        3 => RandomJsonArray(random),
        4 => IdAroundTheLimit(random),
        _ => Mutate(random, Encoding.UTF8.GetBytes(Seeds[random.Next(Seeds.Length)])),
    };

    private static byte[] RandomBytes(Random random)
    {
        byte[] bytes = new byte[random.Next(0, 64)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] DeepNesting(Random random)
    {
        int depth = random.Next(30, 200);
        string open = random.Next(2) == 0 ? new string('[', depth) : string.Concat(Enumerable.Repeat("{\"a\":", depth));
        string close = open[0] == '[' ? new string(']', depth) : new string('}', depth);
        return Encoding.UTF8.GetBytes($"[2,\"deep\",\"Echo\",{{\"n\":{open}1{close}}}]");
    }

    private static byte[] HugeNumbers(Random random)
    {
        string[] numbers = ["1e400", "-1e400", "123456789012345678901234567890", "0.000000000000000000000000001", "9223372036854775808", "-0", "1E+2"];
        string n = numbers[random.Next(numbers.Length)];
        return random.Next(2) == 0
            ? Encoding.UTF8.GetBytes($"[{n},\"id\",\"Echo\",{{}}]")
            : Encoding.UTF8.GetBytes($"[2,\"huge{random.Next(100)}\",\"Echo\",{{\"v\":{n}}}]");
    }

    private static byte[] RandomJsonArray(Random random)
    {
        string[] atoms = ["2", "3", "4", "5", "6", "7", "-1", "\"x\"", "\"Echo\"", "\"\"", "null", "true", "{}", "[]", "{\"a\":1}", "1.5", "\"GenericError\""];
        int count = random.Next(0, 7);
        return Encoding.UTF8.GetBytes("[" + string.Join(',', Enumerable.Range(0, count).Select(_ => atoms[random.Next(atoms.Length)])) + "]");
    }

    private static byte[] IdAroundTheLimit(Random random)
    {
        string id = new('i', random.Next(34, 39));
        return Encoding.UTF8.GetBytes($"[{random.Next(2, 7)},\"{id}\",\"Echo\",{{}}]");
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var bytes = new List<byte>(seed);
        int mutations = random.Next(1, 4);
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256); // may produce invalid UTF-8
                    break;
                case 1:
                    bytes.RemoveAt(at);
                    break;
                case 2:
                    bytes.Insert(at, Punctuation[random.Next(Punctuation.Length)]);
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at); // truncation
                    break;
                default:
                    bytes.InsertRange(at, bytes.GetRange(at, Math.Min(8, bytes.Count - at)));
                    break;
            }
        }

        return [.. bytes];
    }
}

/// <summary>Fuzzing counts unobserved task exceptions process-wide, so it runs alone, after the parallel tests.</summary>
[CollectionDefinition(nameof(FuzzTests), DisableParallelization = true)]
public sealed class FuzzTestsCollection;

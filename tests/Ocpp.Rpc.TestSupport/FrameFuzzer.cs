using System.Text;

namespace Ocpp.Rpc.TestSupport;

/// <summary>
/// Seeded fuzz inputs for OCPP-J frames: random bytes, deep nesting, huge numbers, odd JSON arrays, invalid UTF-8,
/// ids around the 36-character limit, and mutations (flips, deletions, insertions, truncation, duplication) of
/// valid frames of every message type. Shared by the in-memory and the socket fuzz tests.
/// </summary>
public static class FrameFuzzer
{
    private static readonly byte[] Punctuation = "[]{}\",:\\0-e"u8.ToArray();

    private static readonly string[] Seeds =
    [
        """[2,"id-1","Echo",{"a":1,"b":[true,false,null],"c":{"d":"e"}}]""",
        """[3,"id-2",{"currentTime":"2025-01-01T00:00:00Z"}]""",
        """[4,"id-3","GenericError","text",{"k":"v"}]""",
        """[5,"id-4","FormatViolation","",{}]""",
        """[6,"id-5","Echo",{"x":[1,2,3]}]""",
        """[2,"id-6","Echo",null]""",
        """[2,"id-7","Echo",{"name":"Zoë ⚡ 𝄞 ключ"}]""",
        """[2,"id-8","Unknown",{}]""",
    ];

    /// <summary>One fuzzed message, determined by <paramref name="random"/>'s state.</summary>
    public static byte[] Generate(Random random) => random.Next(10) switch
    {
        0 => RandomBytes(random),
        1 => DeepNesting(random),
        2 => HugeNumbers(random),
        3 => RandomJsonArray(random),
        4 => InvalidUtf8(random),
        5 => IdAroundTheLimit(random),
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
        int depth = random.Next(30, 300);
        string open = random.Next(2) == 0 ? new string('[', depth) : string.Concat(Enumerable.Repeat("{\"a\":", depth));
        string close = open[0] == '[' ? new string(']', depth) : new string('}', depth);
        return Encoding.UTF8.GetBytes(random.Next(3) == 0 ? open : $"[2,\"deep\",\"Echo\",{{\"n\":{open}1{close}}}]");
    }

    private static byte[] HugeNumbers(Random random)
    {
        string[] numbers = ["1e400", "-1e400", "123456789012345678901234567890", "0.000000000000000000000000001", "9223372036854775808", "-0", "1E+2", new string('9', 2000)];
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

    // Invalid UTF-8 inside an otherwise valid CALL: a lone continuation byte, an overlong '/', a surrogate, a truncated sequence.
    private static byte[] IdAroundTheLimit(Random random)
    {
        string id = new('i', random.Next(34, 39));
        return Encoding.UTF8.GetBytes($"[{random.Next(2, 7)},\"{id}\",\"Echo\",{{}}]");
    }

    private static byte[] InvalidUtf8(Random random)
    {
        byte[][] bad = [[0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xFF], [0xF5, 0x80, 0x80, 0x80]];
        byte[] prefix = """[2,"utf","Echo",{"s":" """u8.ToArray();
        return [.. prefix, .. bad[random.Next(bad.Length)], .. "\"}]"u8.ToArray()];
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
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    bytes.InsertRange(at, bytes.GetRange(at, Math.Min(8, bytes.Count - at)));
                    break;
            }
        }

        return [.. bytes];
    }
}

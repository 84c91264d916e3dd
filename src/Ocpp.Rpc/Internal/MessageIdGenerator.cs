using System.Security.Cryptography;

namespace Ocpp.Rpc.Internal;

/// <summary>Makes message ids: a random 12-character prefix per connection and a counter (at most 33 characters).</summary>
internal sealed class MessageIdGenerator
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
    private readonly string _prefix = RandomNumberGenerator.GetString(Alphabet, 12);
    private long _counter;

    public string Next()
    {
        long n = Interlocked.Increment(ref _counter);
        return string.Create(null, stackalloc char[40], $"{_prefix}-{n}");
    }
}

using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using StackExchange.Redis;

namespace Ocpp.Rpc.Redis.Internal;

/// <summary>
/// Every key and channel name the cluster uses, laid out for Redis Cluster (and the same on a standalone Redis):
/// <list type="bullet">
/// <item><c>{prefix}station:{b}:{identity}</c>: presence. <c>b</c> is one of <see cref="PresenceBuckets"/> hash tags
/// derived from the identity, so a node refreshes its stations with one script per bucket (a script's keys must share
/// a slot) instead of one per slot, while the buckets still spread over every shard.</item>
/// <item><c>{prefix}node:{nodeId}</c> and the node's channels <c>{prefix}node:{nodeId}:req|rep|ctl</c>: the node id is
/// the hash tag, so the heartbeat and the three channels live on one shard (one sharded subscription connection).</item>
/// <item><c>{prefix}broadcast</c>, <c>{prefix}events:{channel}</c>, <c>{prefix}boot:{identity}</c>: single keys or channels.</item>
/// </list>
/// A prefix that itself contains a hash tag (<c>{ocpp}:</c>) puts everything in one slot; that works too.
/// </summary>
internal static class RedisKeys
{
    /// <summary>How many hash tags presence keys spread over. Part of the key layout: changing it renames every key.</summary>
    public const int PresenceBuckets = 1024;

    public static RedisKey Station(string prefix, string identity) =>
        prefix + "station:{" + Bucket(identity).ToString(CultureInfo.InvariantCulture) + "}:" + identity;

    /// <summary>The glob that matches every presence key under <paramref name="prefix"/> (for <c>SCAN</c>).</summary>
    public static string StationPattern(string prefix) => EscapeGlob(prefix + "station:") + "*";

    /// <summary>The identity in a presence key, or null when the key is not one.</summary>
    public static string? IdentityOf(string prefix, string key)
    {
        string start = prefix + "station:{";
        if (!key.StartsWith(start, StringComparison.Ordinal))
        {
            return null;
        }

        int end = key.IndexOf("}:", start.Length, StringComparison.Ordinal);
        return end < 0 ? null : key[(end + 2)..];
    }

    public static RedisKey Node(string prefix, string nodeId) => prefix + "node:{" + nodeId + "}";

    public static string NodeChannelName(string prefix, string nodeId, string kind) => prefix + "node:{" + nodeId + "}:" + kind;

    public static string BroadcastChannelName(string prefix) => prefix + "broadcast";

    public static string EventChannelName(string prefix, string channel) => prefix + "events:" + channel;

    public static RedisKey Boot(string prefix, string identity) => prefix + "boot:" + identity;

    // The length keeps identity and message id apart (both may hold ':'; an action cannot).
    public static RedisKey Reply(string prefix, string identity, string action, string messageId) =>
        string.Concat(prefix, "reply:", action, ":", identity.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), ":", identity, ":", messageId);

    /// <summary>
    /// A channel on sharded pub/sub (<c>SSUBSCRIBE</c>/<c>SPUBLISH</c>, on the shard owning its slot) or on classic
    /// pub/sub routed by its slot, so that on a cluster publisher and subscriber meet on one server and the receiver
    /// count <c>PUBLISH</c> returns is exact (a standalone server ignores the routing).
    /// </summary>
    public static RedisChannel Channel(string name, bool sharded) => sharded ? RedisChannel.Sharded(name) : RedisChannel.Literal(name).WithKeyRouting();

    /// <summary>The presence bucket of an identity: CRC-32 of its UTF-8 bytes, modulo <see cref="PresenceBuckets"/>.</summary>
    public static int Bucket(string identity)
    {
        int length = Encoding.UTF8.GetMaxByteCount(identity.Length);
        byte[]? rented = length > 512 ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> buffer = rented ?? stackalloc byte[512];
        try
        {
            int written = Encoding.UTF8.GetBytes(identity, buffer);
            return (int)(Crc32.HashToUInt32(buffer[..written]) % PresenceBuckets);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static string EscapeGlob(string text)
    {
        var escaped = new StringBuilder(text.Length + 4);
        foreach (char c in text)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}

using System.Net;
using System.Text;

namespace Ocpp.Rpc.Redis;

/// <summary>
/// Direct links between nodes for routed calls (<see cref="RedisClusterOptions.NodeLinks"/>). Each node listens on
/// <see cref="Listen"/> and advertises its address with its heartbeat; a node routing a call to another node's station
/// opens one TCP connection to that node, proves that both know <see cref="SharedKey"/>, and from then on sends the
/// call and receives the reply over it instead of over Redis pub/sub. Presence, evictions, broadcasts and events stay
/// on Redis, and a call goes through Redis whenever the link is not up (not made yet, the peer has no links, the
/// connection failed).
/// </summary>
/// <remarks>
/// Links are authenticated (a mutual HMAC-SHA256 challenge on <see cref="SharedKey"/>: a process without the key
/// cannot send calls to a node's stations), and encrypted when <see cref="Encrypt"/> is set (TLS with a certificate
/// each node makes for itself; the challenge covers the certificate, so no PKI is needed and a machine in the middle
/// is refused).
/// </remarks>
public sealed record RedisNodeLinkOptions
{
    /// <summary>The shortest <see cref="SharedKey"/> accepted, in UTF-8 bytes.</summary>
    public const int MinimumKeyBytes = 16;

    /// <summary>
    /// Where this node accepts links from the other nodes, e.g. <c>new IPEndPoint(IPAddress.Any, 7400)</c>. Port 0
    /// picks a free port (advertised as it is). Required.
    /// </summary>
    public IPEndPoint? Listen { get; init; }

    /// <summary>
    /// The host name or IP address other nodes dial to reach <see cref="Listen"/>, e.g. the pod IP. Default: the
    /// address of <see cref="Listen"/>; required when that is <see cref="IPAddress.Any"/> or <see cref="IPAddress.IPv6Any"/>.
    /// </summary>
    public string? AdvertisedHost { get; init; }

    /// <summary>
    /// The secret every node of the cluster shares (at least <see cref="MinimumKeyBytes"/> bytes of UTF-8; use a long
    /// random string). A node whose key differs cannot link and routes through Redis.
    /// </summary>
    public string? SharedKey { get; init; }

    /// <summary>
    /// Whether links run over TLS (1.3 or 1.2). Default <see langword="false"/>, like a Redis connection without
    /// <c>ssl=true</c>: the same routed calls cross the network in the clear either way. Set it when the nodes talk
    /// over a network you do not control; it costs about 40 us per routed call and a third of the calls per second
    /// under load (benchmarks/README.md). Each node makes a self-signed ECDSA P-256 certificate when it starts; the
    /// dialing node accepts any certificate, and the handshake's HMAC proofs cover the certificate's SHA-256, so a
    /// peer is authenticated by the shared key alone and a machine that terminates TLS in between cannot pass. Every
    /// node must use the same setting: a node does not link to a peer whose setting differs (it routes through Redis
    /// and logs it).
    /// </summary>
    public bool Encrypt { get; init; }

    /// <summary>
    /// The largest routed request or reply a link carries, in bytes of its JSON envelope: a node sends a larger one
    /// through Redis, and a peer that receives one closes the link. Default 4 MiB; set the same on every node. A link
    /// queues at most 16 MiB, or twice this, for sending; beyond that calls go through Redis.
    /// </summary>
    public int MaxFrameBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>How long a node waits after a failed attempt to link to a peer before it tries again. Default 5 s.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The address this node advertises: <see cref="AdvertisedHost"/> (or the listen address) and the bound port,
    /// after <c>tls:</c> when <see cref="Encrypt"/>.
    /// </summary>
    internal string Advertise(int port)
    {
        string host = AdvertisedHost ?? Listen!.Address.ToString();
        string address = IPAddress.TryParse(host, out IPAddress? ip) ? new IPEndPoint(ip, port).ToString() : host + ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Encrypt ? TlsScheme + address : address;
    }

    /// <summary>What an encrypted link's advertised address starts with.</summary>
    internal const string TlsScheme = "tls:";

    internal void Validate()
    {
        if (Listen is null)
        {
            throw new ArgumentException("RedisNodeLinkOptions.Listen is required: the address this node accepts links on.");
        }

        if (AdvertisedHost is null && (Listen.Address.Equals(IPAddress.Any) || Listen.Address.Equals(IPAddress.IPv6Any)))
        {
            throw new ArgumentException("RedisNodeLinkOptions.AdvertisedHost is required when Listen is a wildcard address: other nodes need an address to dial.");
        }

        if (AdvertisedHost is { } host && (host.Length == 0 || host.Contains(' ', StringComparison.Ordinal)))
        {
            throw new ArgumentException("RedisNodeLinkOptions.AdvertisedHost must be a host name or an IP address.");
        }

        if (SharedKey is null || Encoding.UTF8.GetByteCount(SharedKey) < MinimumKeyBytes)
        {
            throw new ArgumentException($"RedisNodeLinkOptions.SharedKey must have at least {MinimumKeyBytes} bytes.");
        }

        if (MaxFrameBytes < 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFrameBytes), MaxFrameBytes, "Must be at least 1024.");
        }

        if (RetryDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, "Must not be negative.");
        }
    }
}

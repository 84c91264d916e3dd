using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ocpp.Rpc.Redis.Internal;

/// <summary>One message of the node-link handshake (every field optional; which ones depends on the step).</summary>
internal sealed class NodeLinkHello
{
    /// <summary>The link protocol version; 1.</summary>
    [JsonPropertyName("v")]
    public int Version { get; set; }

    /// <summary>The sender's node id.</summary>
    [JsonPropertyName("from")]
    public string? From { get; set; }

    /// <summary>The node id the dialing node expects to reach.</summary>
    [JsonPropertyName("to")]
    public string? To { get; set; }

    /// <summary>The sender's random challenge.</summary>
    [JsonPropertyName("nonce")]
    public byte[]? Nonce { get; set; }

    /// <summary>HMAC-SHA256 over both challenges and both ids, proving the sender has the shared key.</summary>
    [JsonPropertyName("proof")]
    public byte[]? Proof { get; set; }

    /// <summary>Why the accepting node refuses the link.</summary>
    [JsonPropertyName("err")]
    public string? Error { get; set; }
}

/// <summary>
/// The mutual challenge that opens a node link. The dialing node (client) sends its id, the id it expects and a nonce;
/// the accepting node (server) answers with its nonce and a proof over both; the client checks it and sends its own
/// proof; the server checks that and confirms. Each proof is HMAC-SHA256(key, role | nonces | ids | binding), so neither
/// side learns anything it could replay, and a process without the key can neither call into a node nor pose as one.
/// The binding is the SHA-256 of the server's TLS certificate on encrypted links (as the dialer saw it, see
/// <see cref="NodeLinkTls"/>) and empty on plain ones.
/// </summary>
internal static class NodeLinkHandshake
{
    public const int Version = 1;

    private const int NonceBytes = 16;

    /// <summary>Runs the dialing side. Throws <see cref="NodeLinkRefusedException"/> when the peer or its proof is wrong.</summary>
    public static async Task RunClientAsync(Stream stream, PipeReader reader, byte[] key, byte[] binding, string self, string peer, CancellationToken cancellationToken)
    {
        byte[] clientNonce = RandomNumberGenerator.GetBytes(NonceBytes);
        await SendAsync(stream, new NodeLinkHello { Version = Version, From = self, To = peer, Nonce = clientNonce }, cancellationToken).ConfigureAwait(false);
        NodeLinkHello welcome = await ReceiveAsync(reader, cancellationToken).ConfigureAwait(false);
        if (welcome.Error is { } error)
        {
            throw new NodeLinkRefusedException($"Node {peer} refused the link: {error}");
        }

        if (welcome.Version != Version || welcome.From != peer || welcome.Nonce is not { Length: NonceBytes } serverNonce || welcome.Proof is null
            || !CryptographicOperations.FixedTimeEquals(welcome.Proof, Proof(key, "server", clientNonce, serverNonce, self, peer, binding)))
        {
            throw new NodeLinkRefusedException($"The node at the address of {peer} is not {peer}, does not have this cluster's shared key, or is behind a machine that terminates TLS.");
        }

        await SendAsync(stream, new NodeLinkHello { Proof = Proof(key, "client", clientNonce, serverNonce, self, peer, binding) }, cancellationToken).ConfigureAwait(false);
        NodeLinkHello confirmation = await ReceiveAsync(reader, cancellationToken).ConfigureAwait(false);
        if (confirmation.Error is { } refused || confirmation.Version != Version)
        {
            throw new NodeLinkRefusedException($"Node {peer} refused the link: {confirmation.Error ?? "no confirmation"}");
        }
    }

    /// <summary>Runs the accepting side; returns the dialing node's id. Throws <see cref="NodeLinkRefusedException"/> (after telling the peer why) when it is refused.</summary>
    public static async Task<string> RunServerAsync(Stream stream, PipeReader reader, byte[] key, byte[] binding, string self, CancellationToken cancellationToken)
    {
        NodeLinkHello hello = await ReceiveAsync(reader, cancellationToken).ConfigureAwait(false);
        if (hello.Version != Version || hello.From is not { Length: > 0 } client || hello.Nonce is not { Length: NonceBytes } clientNonce)
        {
            await RefuseAsync(stream, $"expected a version {Version} hello", cancellationToken).ConfigureAwait(false);
            throw new NodeLinkRefusedException("A peer sent no valid hello.");
        }

        if (hello.To != self)
        {
            // Typically a node that restarted on the same address under a new id: the dialer looks the owner up again.
            await RefuseAsync(stream, $"this is node {self}, not {hello.To}", cancellationToken).ConfigureAwait(false);
            throw new NodeLinkRefusedException($"Node {client} dialed {hello.To}.");
        }

        byte[] serverNonce = RandomNumberGenerator.GetBytes(NonceBytes);
        await SendAsync(stream, new NodeLinkHello { Version = Version, From = self, Nonce = serverNonce, Proof = Proof(key, "server", clientNonce, serverNonce, client, self, binding) }, cancellationToken).ConfigureAwait(false);
        NodeLinkHello answer = await ReceiveAsync(reader, cancellationToken).ConfigureAwait(false);
        if (answer.Proof is null || !CryptographicOperations.FixedTimeEquals(answer.Proof, Proof(key, "client", clientNonce, serverNonce, client, self, binding)))
        {
            await RefuseAsync(stream, "wrong key", cancellationToken).ConfigureAwait(false);
            throw new NodeLinkRefusedException($"A peer calling itself {client} does not have this cluster's shared key.");
        }

        await SendAsync(stream, new NodeLinkHello { Version = Version }, cancellationToken).ConfigureAwait(false);
        return client;
    }

    /// <summary>HMAC-SHA256 over the role and every field, each length-prefixed so no two inputs read alike.</summary>
    private static byte[] Proof(byte[] key, string role, byte[] clientNonce, byte[] serverNonce, string client, string server, byte[] binding)
    {
        var input = new ArrayBufferWriter<byte>(128);
        Append(input, Encoding.UTF8.GetBytes(role));
        Append(input, clientNonce);
        Append(input, serverNonce);
        Append(input, Encoding.UTF8.GetBytes(client));
        Append(input, Encoding.UTF8.GetBytes(server));
        Append(input, binding);
        return HMACSHA256.HashData(key, input.WrittenSpan);
    }

    private static void Append(ArrayBufferWriter<byte> input, ReadOnlySpan<byte> part)
    {
        BinaryPrimitives.WriteInt32BigEndian(input.GetSpan(4), part.Length);
        input.Advance(4);
        input.Write(part);
    }

    private static Task RefuseAsync(Stream stream, string reason, CancellationToken cancellationToken) =>
        SendAsync(stream, new NodeLinkHello { Error = reason }, cancellationToken);

    private static async Task SendAsync(Stream stream, NodeLinkHello hello, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        NodeLinkFrames.Write(buffer, JsonSerializer.SerializeToUtf8Bytes(hello, RedisJsonContext.Default.NodeLinkHello));
        await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<NodeLinkHello> ReceiveAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        byte[] frame = await NodeLinkFrames.ReadAsync(reader, NodeLinkFrames.MaxHandshakeFrameBytes, cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(frame, RedisJsonContext.Default.NodeLinkHello) ?? throw new NodeLinkRefusedException("The peer sent an empty handshake message.");
        }
        catch (JsonException ex)
        {
            throw new NodeLinkRefusedException("The peer's handshake message is not valid.", ex);
        }
    }
}

/// <summary>A node link could not be opened because a side refused the other (wrong node, wrong key, bad hello).</summary>
internal sealed class NodeLinkRefusedException : Exception
{
    public NodeLinkRefusedException(string message)
        : base(message)
    {
    }

    public NodeLinkRefusedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

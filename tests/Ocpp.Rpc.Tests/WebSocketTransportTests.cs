using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.Tests;

/// <summary>
/// <see cref="WebSocketTransport"/> over a real WebSocket pair on loopback TCP: a quiet connection waits without
/// asking for memory (zero-byte read); a busy one reads straight into a small chunk; either way every message arrives
/// whole, whatever its size or fragmentation, and a close is reported.
/// </summary>
public sealed class WebSocketTransportTests : IAsyncLifetime
{
    private TcpClient _clientTcp = null!;
    private TcpClient _serverTcp = null!;
    private WebSocket _peer = null!;
    private WebSocketTransport _transport = null!;

    public async Task InitializeAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _clientTcp = new TcpClient();
        Task connect = _clientTcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        _serverTcp = await listener.AcceptTcpClientAsync();
        await connect;
        _peer = WebSocket.CreateFromStream(_clientTcp.GetStream(), new WebSocketCreationOptions { KeepAliveInterval = TimeSpan.Zero });
        _transport = new WebSocketTransport(WebSocket.CreateFromStream(_serverTcp.GetStream(), new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero }));
    }

    public async Task DisposeAsync()
    {
        await _transport.DisposeAsync();
        _peer.Dispose();
        _clientTcp.Dispose();
        _serverTcp.Dispose();
    }

    [Fact]
    public async Task A_quiet_connection_asks_for_no_memory_until_a_message_arrives()
    {
        var destination = new RecordingWriter();
        ValueTask<TransportReceiveResult> receive = _transport.ReceiveAsync(destination);
        await Task.Delay(50);
        destination.Requests.Should().BeEmpty("the wait is a zero-byte read");

        await SendAsync("[2,\"1\",\"Heartbeat\",{}]");
        (await receive).Kind.Should().Be(TransportMessageKind.Text);
        destination.Text.Should().Be("[2,\"1\",\"Heartbeat\",{}]");
    }

    [Fact]
    public async Task A_busy_connection_reads_into_a_small_chunk_and_turns_quiet_after_a_long_wait()
    {
        // Already there when asked for: the connection counts as busy from then on.
        await SendAsync("first");
        await Task.Delay(50);
        (await ReceiveTextAsync()).Should().Be("first");

        var busy = new RecordingWriter();
        ValueTask<TransportReceiveResult> receive = _transport.ReceiveAsync(busy);
        busy.Requests.Should().Equal([512], "a busy connection waits on a small chunk");
        await Task.Delay(50); // longer than the busy gap: the next wait is quiet again
        await SendAsync("second");
        (await receive).Kind.Should().Be(TransportMessageKind.Text);
        busy.Text.Should().Be("second");

        var quiet = new RecordingWriter();
        receive = _transport.ReceiveAsync(quiet);
        await Task.Delay(20);
        quiet.Requests.Should().BeEmpty();
        await SendAsync("third");
        await receive;
        quiet.Text.Should().Be("third");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(511)]
    [InlineData(512)]
    [InlineData(513)]
    [InlineData(4096)]
    [InlineData(100_000)]
    public async Task Messages_of_every_size_arrive_whole_on_quiet_and_busy_connections(int size)
    {
        string text = new string('x', size);
        for (int i = 0; i < 3; i++)
        {
            // Three in a row: the first is received quiet, the next ones busy (each is already there when asked for).
            await SendAsync(text);
        }

        await Task.Delay(50);
        for (int i = 0; i < 3; i++)
        {
            (await ReceiveTextAsync()).Should().Be(text);
        }
    }

    [Fact]
    public async Task A_fragmented_message_is_joined()
    {
        await SendAsync("warm-up");
        await Task.Delay(20);
        (await ReceiveTextAsync()).Should().Be("warm-up");

        await _peer.SendAsync(Encoding.UTF8.GetBytes("[2,\"7\","), WebSocketMessageType.Text, false, default);
        await _peer.SendAsync(Encoding.UTF8.GetBytes(new string('y', 600)), WebSocketMessageType.Text, false, default);
        await _peer.SendAsync(Encoding.UTF8.GetBytes("]"), WebSocketMessageType.Text, true, default);
        (await ReceiveTextAsync()).Should().Be("[2,\"7\"," + new string('y', 600) + "]");
    }

    [Fact]
    public async Task Binary_messages_are_reported_as_binary()
    {
        await _peer.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, default);
        var destination = new RecordingWriter();
        (await _transport.ReceiveAsync(destination)).Kind.Should().Be(TransportMessageKind.Binary);
        destination.Written.Should().Equal(1, 2, 3);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_close_is_reported_with_its_code_and_reason(bool busy)
    {
        if (busy)
        {
            await SendAsync("x");
            await Task.Delay(20);
            await ReceiveTextAsync();
        }

        ValueTask<TransportReceiveResult> receive = _transport.ReceiveAsync(new RecordingWriter());
        await _peer.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "bye", default);
        TransportReceiveResult result = await receive;
        result.Kind.Should().Be(TransportMessageKind.Close);
        result.CloseCode.Should().Be((int)WebSocketCloseStatus.PolicyViolation);
        result.CloseReason.Should().Be("bye");
    }

    private Task SendAsync(string text) =>
        _peer.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, default);

    private async Task<string> ReceiveTextAsync()
    {
        var destination = new RecordingWriter();
        (await _transport.ReceiveAsync(destination)).Kind.Should().Be(TransportMessageKind.Text);
        return destination.Text;
    }

    // An IBufferWriter that records each size asked for before any byte was written.
    private sealed class RecordingWriter : IBufferWriter<byte>
    {
        private readonly ArrayBufferWriter<byte> _inner = new();

        public List<int> Requests { get; } = [];

        public byte[] Written => _inner.WrittenSpan.ToArray();

        public string Text => Encoding.UTF8.GetString(_inner.WrittenSpan);

        public void Advance(int count) => _inner.Advance(count);

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            if (_inner.WrittenCount == 0)
            {
                Requests.Add(sizeHint);
            }

            return _inner.GetMemory(sizeHint);
        }

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }
}

using System.Text;
using System.Text.Json;
using Ocpp.Rpc.Internal;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.Tests.Support;

/// <summary>
/// A wire-level fake peer: one end of an in-memory link driven by hand, the other end wrapped in a real
/// <see cref="OcppConnection"/>. Lets tests send exact bytes and see exactly what the engine answers.
/// </summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly InMemoryTransport _wire;

    private RawPeer(InMemoryTransport wire, OcppConnection connection)
    {
        _wire = wire;
        Connection = connection;
    }

    public OcppConnection Connection { get; }

    public static RawPeer Create(string? protocol = OcppProtocols.Ocpp16, OcppConnectionOptions? options = null, Action<OcppConnection>? setup = null)
    {
        (InMemoryTransport engineSide, InMemoryTransport wire) = InMemoryTransport.CreatePair(protocol);
        var connection = new OcppConnection(engineSide, options, identity: "CP-TEST");
        setup?.Invoke(connection);
        connection.Start();
        return new RawPeer(wire, connection);
    }

    public ValueTask SendAsync(string text) => _wire.SendAsync(Encoding.UTF8.GetBytes(text));

    public ValueTask SendBytesAsync(byte[] bytes) => _wire.SendAsync(bytes);

    public ValueTask SendBinaryAsync(byte[] bytes) => _wire.SendBinaryAsync(bytes);

    public ValueTask CloseAsync(int code = 1000, string? reason = null) => _wire.CloseAsync(code, reason);

    public void Abort() => _wire.Abort();

    /// <summary>The next message from the engine as text; fails the test after the timeout.</summary>
    public async Task<string> ReceiveAsync(int timeoutMs = 5000)
    {
        (TransportReceiveResult result, string text) = await ReceiveAnyAsync(timeoutMs);
        result.Kind.Should().Be(TransportMessageKind.Text, "a text message was expected");
        return text;
    }

    public async Task<JsonElement> ReceiveJsonAsync(int timeoutMs = 5000) => JsonElement.Parse(await ReceiveAsync(timeoutMs));

    public async Task<(TransportReceiveResult Result, string Text)> ReceiveAnyAsync(int timeoutMs = 5000)
    {
        using var buffer = new PooledBufferWriter();
        using var cts = new CancellationTokenSource(timeoutMs);
        TransportReceiveResult result = await _wire.ReceiveAsync(buffer, cts.Token);
        return (result, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>Asserts that the engine sends nothing within the given time.</summary>
    public async Task ExpectSilenceAsync(int ms = 200)
    {
        using var buffer = new PooledBufferWriter();
        using var cts = new CancellationTokenSource(ms);
        try
        {
            TransportReceiveResult result = await _wire.ReceiveAsync(buffer, cts.Token);
            Assert.Fail($"Expected silence but received {result.Kind}: {Encoding.UTF8.GetString(buffer.WrittenSpan)}");
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Answers the engine's close frame, as a well-behaved peer does.</summary>
    public async Task<TransportReceiveResult> ExpectCloseAsync(int timeoutMs = 5000)
    {
        (TransportReceiveResult result, _) = await ReceiveAnyAsync(timeoutMs);
        result.Kind.Should().Be(TransportMessageKind.Close);
        await _wire.CloseAsync(result.CloseCode ?? 1000, result.CloseReason);
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        _wire.Abort();
        await Connection.DisposeAsync();
    }
}

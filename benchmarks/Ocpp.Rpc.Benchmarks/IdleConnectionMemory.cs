using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.Benchmarks;

/// <summary>
/// Managed memory one idle <see cref="OcppConnection"/> holds (engine only: no socket, no Kestrel): N started
/// connections over transports whose receive never completes; (heap after - heap before) / N after full GCs.
/// </summary>
internal static class IdleConnectionMemory
{
    public static void Run(int count)
    {
        var connections = new List<OcppConnection>(count);
        var transports = new List<IdleTransport>(count);
        long before = Heap();
        for (int i = 0; i < count; i++)
        {
            var transport = new IdleTransport();
            var connection = new OcppConnection(transport, identity: "CP-" + i);
            connection.Start();
            transports.Add(transport);
            connections.Add(connection);
        }

        SpinWait.SpinUntil(() => transports.TrueForAll(t => t.Reading), TimeSpan.FromSeconds(30));
        long after = Heap();
        Console.WriteLine($"idle OcppConnection: {(after - before) / (double)count:N0} bytes each ({count:N0} connections, engine only)");
        GC.KeepAlive(connections);
    }

    private static long Heap()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private sealed class IdleTransport : IOcppTransport
    {
        private readonly TaskCompletionSource<TransportReceiveResult> _never = new();

        public bool Reading { get; private set; }

        public string? Subprotocol => OcppProtocols.Ocpp16;

        public ValueTask SendAsync(ReadOnlyMemory<byte> utf8Message, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask<TransportReceiveResult> ReceiveAsync(System.Buffers.IBufferWriter<byte> destination, CancellationToken cancellationToken = default)
        {
            // Like a WebSocket transport that waits for data before asking the destination for memory.
            Reading = true;
            return new ValueTask<TransportReceiveResult>(_never.Task);
        }

        public ValueTask CloseAsync(int closeCode, string? reason, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public void Abort()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

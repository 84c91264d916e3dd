using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Ocpp.Rpc.Client.Tests.Support;

/// <summary>
/// A TCP proxy to a local port. <see cref="FreezeAll"/> makes every current link silently stop forwarding while
/// keeping its sockets open (a dead peer that never answers pings); links opened later forward normally.
/// </summary>
internal sealed class FreezingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Link> _links = [];
    private readonly Task _acceptLoop;

    public FreezingProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int LinkCount => _links.Count;

    public void FreezeAll()
    {
        foreach (Link link in _links)
        {
            link.Frozen = true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (Link link in _links)
        {
            link.Dispose();
        }

        try
        {
            await _acceptLoop;
        }
        catch (Exception)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
            var outbound = new TcpClient();
            await outbound.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            var link = new Link(inbound, outbound);
            _links.Add(link);
            _ = PumpAsync(link, inbound.GetStream(), outbound.GetStream());
            _ = PumpAsync(link, outbound.GetStream(), inbound.GetStream());
        }
    }

    private async Task PumpAsync(Link link, NetworkStream from, NetworkStream to)
    {
        byte[] buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    link.Dispose();
                    return;
                }

                if (!link.Frozen)
                {
                    await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                }
            }
        }
        catch (Exception)
        {
            if (!link.Frozen)
            {
                link.Dispose();
            }
        }
    }

    private sealed class Link(TcpClient inbound, TcpClient outbound) : IDisposable
    {
        public volatile bool Frozen;

        public void Dispose()
        {
            inbound.Dispose();
            outbound.Dispose();
        }
    }
}

using System.Net;
using System.Net.Sockets;

namespace Ocpp.Rpc.Redis.Internal;

/// <summary>Socket settings and address parsing shared by both ends of a node link.</summary>
internal static class NodeLinkSockets
{
    /// <summary>
    /// No Nagle delay (a call is one small frame), and TCP keepalive probes so that a peer that vanished without a FIN
    /// (power loss, a partition) is noticed in about 20 s rather than the kernel's two hours.
    /// </summary>
    public static void Configure(Socket socket)
    {
        socket.NoDelay = true;
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 10);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 3);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 3);
        }
        catch (Exception ex) when (ex is SocketException or PlatformNotSupportedException)
        {
            // The platform's keepalive timings stay; the heartbeat still tells a dead node within its TTL.
        }
    }

    /// <summary>Splits an advertised <c>host:port</c> (IPv6 in brackets).</summary>
    public static bool TryParse(string address, out EndPoint endPoint)
    {
        endPoint = null!;
        if (IPEndPoint.TryParse(address, out IPEndPoint? ip) && ip.Port != 0)
        {
            endPoint = ip;
            return true;
        }

        int colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port) || port is 0 or > IPEndPoint.MaxPort)
        {
            return false;
        }

        endPoint = new DnsEndPoint(address[..colon], port);
        return true;
    }
}

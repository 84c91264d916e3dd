using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Net.Http.Headers;

namespace Ocpp.Rpc.AspNetCore.Internal;

/// <summary>
/// Completes an HTTP/1.1 WebSocket upgrade itself, for two things ASP.NET Core's WebSockets middleware cannot give:
/// a permessage-deflate answer of our own choosing (<see cref="PerMessageDeflate"/>; the middleware never asks the
/// client to drop its compression context, so every compressed connection would keep a decompressor window for life),
/// and the stream under the socket (<see cref="UpgradedStream"/>), through which a failed connection still gets its
/// close frame. The request has already passed the middleware's checks (<c>IsWebSocketRequest</c>, allowed origins).
/// </summary>
internal static class WebSocketUpgrade
{
    private static readonly byte[] AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"u8.ToArray();

    /// <summary>
    /// Accepts an HTTP/1.1 upgrade, with compression when <paramref name="compress"/> is set and the client offered an
    /// acceptable permessage-deflate; returns null for any other request (HTTP/2: the caller accepts through the middleware).
    /// </summary>
    public static async Task<(WebSocket Socket, UpgradedStream Stream, bool Compressed)?> TryAcceptAsync(HttpContext context, string protocol, bool compress, bool contextTakeover, TimeSpan keepAliveInterval, TimeSpan keepAliveTimeout)
    {
        if (context.Features.Get<IHttpUpgradeFeature>() is not { IsUpgradableRequest: true } upgrade)
        {
            return null;
        }

        WebSocketDeflateOptions? deflate = null;
        string answer = string.Empty;
        if (compress)
        {
            _ = PerMessageDeflate.TryNegotiate(context.Request.Headers.SecWebSocketExtensions, contextTakeover, out deflate, out answer);
        }

        IHeaderDictionary headers = context.Response.Headers;
        headers.Connection = HeaderNames.Upgrade;
        headers.Upgrade = "websocket";
        headers.SecWebSocketAccept = AcceptKey(context.Request.Headers.SecWebSocketKey.ToString());
        headers.SecWebSocketProtocol = protocol;
        if (deflate is not null)
        {
            headers.SecWebSocketExtensions = answer;
        }

        var stream = new UpgradedStream(await upgrade.UpgradeAsync().ConfigureAwait(false), context.Abort); // Sends 101.
        context.Features.Get<IHttpRequestTimeoutFeature>()?.DisableTimeout();

        var options = new WebSocketCreationOptions
        {
            IsServer = true,
            SubProtocol = protocol,
            KeepAliveInterval = keepAliveInterval,
            DangerousDeflateOptions = deflate,
        };
        if (keepAliveInterval > TimeSpan.Zero)
        {
            options.KeepAliveTimeout = keepAliveTimeout;
        }

        return (WebSocket.CreateFromStream(stream, options), stream, deflate is not null);
    }

    // RFC 6455 §4.2.2: base64(SHA-1(key + GUID)).
    private static string AcceptKey(string key)
    {
        int length = Encoding.ASCII.GetByteCount(key);
        Span<byte> input = stackalloc byte[length + AcceptGuid.Length];
        Encoding.ASCII.GetBytes(key, input);
        AcceptGuid.CopyTo(input[length..]);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
#pragma warning disable CA5350 // SHA-1 is what RFC 6455 prescribes for Sec-WebSocket-Accept; it protects nothing.
        SHA1.HashData(input, hash);
#pragma warning restore CA5350
        return Convert.ToBase64String(hash);
    }
}

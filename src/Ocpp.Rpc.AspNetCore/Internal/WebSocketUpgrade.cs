using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Net.Http.Headers;

namespace Ocpp.Rpc.AspNetCore.Internal;

/// <summary>
/// Completes an HTTP/1.1 WebSocket upgrade with a permessage-deflate answer of our own choosing
/// (<see cref="PerMessageDeflate"/>), which ASP.NET Core's WebSockets middleware cannot give: it never asks the client
/// to drop its compression context, so every compressed connection would keep a decompressor window for life.
/// The request has already passed the middleware's checks (<c>IsWebSocketRequest</c>).
/// </summary>
internal static class WebSocketUpgrade
{
    private static readonly byte[] AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"u8.ToArray();

    /// <summary>
    /// Accepts with compression when the client offered an acceptable permessage-deflate over an HTTP/1.1 upgrade;
    /// returns null otherwise (the caller then accepts through the middleware).
    /// </summary>
    public static async Task<WebSocket?> TryAcceptCompressedAsync(HttpContext context, string protocol, bool contextTakeover, TimeSpan keepAliveInterval, TimeSpan keepAliveTimeout)
    {
        if (context.Features.Get<IHttpUpgradeFeature>() is not { IsUpgradableRequest: true } upgrade
            || !PerMessageDeflate.TryNegotiate(context.Request.Headers.SecWebSocketExtensions, contextTakeover, out WebSocketDeflateOptions deflate, out string answer))
        {
            return null;
        }

        IHeaderDictionary headers = context.Response.Headers;
        headers.Connection = HeaderNames.Upgrade;
        headers.Upgrade = "websocket";
        headers.SecWebSocketAccept = AcceptKey(context.Request.Headers.SecWebSocketKey.ToString());
        headers.SecWebSocketProtocol = protocol;
        headers.SecWebSocketExtensions = answer;
        Stream stream = await upgrade.UpgradeAsync().ConfigureAwait(false); // Sends 101.
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

        return WebSocket.CreateFromStream(stream, options);
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

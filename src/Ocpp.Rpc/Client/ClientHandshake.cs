using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Ocpp.Rpc.Client;

// The WebSocket handshake of a station: the URL with the encoded identity, subprotocols, headers, Basic auth, TLS
// and keep-alive, and the mapping of failures to OcppConnectException.
internal static class ClientHandshake
{
    /// <summary>Percent-encodes every character outside the RFC 3986 unreserved set (as UTF-8, upper-case hex).</summary>
    public static string EncodeIdentity(string identity) => Uri.EscapeDataString(identity);

    /// <summary>endpoint + "/" + encoded identity, keeping the endpoint's query and appending the extra parameters.</summary>
    public static Uri BuildUri(Uri endpoint, string identity, IReadOnlyList<KeyValuePair<string, string>>? query)
    {
        string path = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var builder = new StringBuilder(path).Append('/').Append(EncodeIdentity(identity));
        string existing = endpoint.Query;
        builder.Append(existing);
        if (query is { Count: > 0 })
        {
            char separator = existing.Length > 0 ? '&' : '?';

            foreach (KeyValuePair<string, string> pair in query)
            {
                builder.Append(separator).Append(Uri.EscapeDataString(pair.Key)).Append('=').Append(Uri.EscapeDataString(pair.Value));
                separator = '&';
            }
        }

        return new Uri(builder.ToString());
    }

    /// <summary>The Basic credentials: base64(UTF-8(identity) ":" password bytes), binary-safe.</summary>
    public static string BasicAuthorization(string identity, ReadOnlySpan<byte> password)
    {
        int userLength = Encoding.UTF8.GetByteCount(identity);
        byte[] raw = new byte[userLength + 1 + password.Length];
        Encoding.UTF8.GetBytes(identity, raw);
        raw[userLength] = (byte)':';
        password.CopyTo(raw.AsSpan(userLength + 1));
        return "Basic " + Convert.ToBase64String(raw);
    }

    /// <summary>The HTTP handler used for every attempt of one client: TLS settings, proxy, connect timeout.</summary>
    public static SocketsHttpHandler CreateHandler(OcppClientOptions options, OcppClientTlsOptions tls)
    {
        var ssl = new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = tls.EnabledSslProtocols,
            CertificateRevocationCheckMode = tls.RevocationMode,
        };
        if (tls.RemoteCertificateValidation is { } callback)
        {
            ssl.RemoteCertificateValidationCallback = callback;
        }
        else if (tls.TrustedRootCertificates is { Count: > 0 } roots)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = tls.RevocationMode };
            policy.CustomTrustStore.AddRange(roots);
            ssl.CertificateChainPolicy = policy;
        }

        if (tls.ClientCertificate is { } certificate)
        {
            ssl.ClientCertificates = [certificate];
            ssl.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate;
        }

        return new SocketsHttpHandler
        {
            SslOptions = ssl,
            UseProxy = options.Proxy is not null,
            Proxy = options.Proxy,
            ConnectTimeout = options.ConnectTimeout,
            UseCookies = false,
            AllowAutoRedirect = false,
        };
    }

    /// <summary>Opens a WebSocket offering <paramref name="protocols"/>; fails with <see cref="OcppConnectException"/>.</summary>
    public static async Task<ClientWebSocket> ConnectAsync(OcppClientOptions options, Uri uri, byte[]? password, IReadOnlyList<string> protocols, HttpMessageInvoker invoker, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            Configure(socket.Options, options, password, protocols);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ConnectTimeout);
            try
            {
                await socket.ConnectAsync(uri, invoker, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new OcppConnectException(OcppConnectFailure.Timeout, uri, $"Connecting to {uri} took longer than {options.ConnectTimeout.TotalMilliseconds:0} ms.", null, ex);
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or IOException or AuthenticationException)
            {
                throw Describe(socket, uri, ex);
            }

            if (string.IsNullOrEmpty(socket.SubProtocol))
            {
                // OCPP-J: the server accepts without a subprotocol and closes at once; do not wait for it.
                socket.Abort();
                throw new OcppConnectException(OcppConnectFailure.NoSubprotocol, uri, $"The server at {uri} agreed none of the offered subprotocols ({string.Join(", ", protocols)}).");
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static void Configure(ClientWebSocketOptions ws, OcppClientOptions options, byte[]? password, IReadOnlyList<string> protocols)
    {
        ws.CollectHttpResponseDetails = true;
        foreach (string protocol in protocols)
        {
            ws.AddSubProtocol(protocol);
        }

        if (options.Headers is { } headers)
        {
            foreach (KeyValuePair<string, string> header in headers)
            {
                ws.SetRequestHeader(header.Key, header.Value);
            }
        }

        if (password is not null)
        {
            ws.SetRequestHeader("Authorization", BasicAuthorization(options.Identity!, password));
        }

        ws.KeepAliveInterval = options.KeepAliveInterval;
        if (options.KeepAliveInterval > TimeSpan.Zero)
        {
            ws.KeepAliveTimeout = options.KeepAliveTimeout;
        }

        if (options.Compression is { } compression)
        {
            ws.DangerousDeflateOptions = compression;
        }
    }

    private static OcppConnectException Describe(ClientWebSocket socket, Uri uri, Exception ex)
    {
        HttpStatusCode status = socket.HttpStatusCode;
        if (status is not 0 and not HttpStatusCode.SwitchingProtocols)
        {
            return new OcppConnectException(OcppConnectFailure.Rejected, uri, $"The server at {uri} rejected the WebSocket handshake with HTTP {(int)status} ({status}).", status, ex);
        }

        for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException)
            {
                return new OcppConnectException(OcppConnectFailure.Tls, uri, $"TLS with {uri} failed: {inner.Message}", null, ex);
            }
        }

        return new OcppConnectException(OcppConnectFailure.Network, uri, $"Could not connect to {uri}: {Innermost(ex).Message}", null, ex);
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }
}

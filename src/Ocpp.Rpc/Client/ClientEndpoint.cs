using System.Net.Http;

namespace Ocpp.Rpc.Client;

// One endpoint as the client uses it: its URL with the identity, the password and an HTTP handler of its own (TLS
// settings differ per endpoint).
internal sealed class ClientEndpoint : IDisposable
{
    private readonly SocketsHttpHandler _handler;

    public ClientEndpoint(OcppEndpoint endpoint, OcppClientOptions options)
    {
        Check(endpoint, options);
        Endpoint = endpoint;
        Uri = ClientHandshake.BuildUri(endpoint.Url!, options.Identity!, options.QueryParameters);
        Password = endpoint.Password ?? options.Password;
        _handler = ClientHandshake.CreateHandler(options, endpoint.Tls ?? options.Tls);
        Invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
    }

    public OcppEndpoint Endpoint { get; }

    public Uri Uri { get; }

    public byte[]? Password { get; }

    public HttpMessageInvoker Invoker { get; }

    public void Dispose()
    {
        Invoker.Dispose();
        _handler.Dispose();
    }

    private static void Check(OcppEndpoint endpoint, OcppClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Url is not { IsAbsoluteUri: true } url || (url.Scheme != "ws" && url.Scheme != "wss"))
        {
            throw new ArgumentException("An endpoint URL must be an absolute ws:// or wss:// URI.", nameof(endpoint));
        }

        if (endpoint.SecurityProfile is not { } profile)
        {
            return;
        }

        bool tls = url.Scheme == "wss";
        bool password = (endpoint.Password ?? options.Password) is not null;
        bool certificate = (endpoint.Tls ?? options.Tls)?.ClientCertificate is not null;
        string? problem = profile switch
        {
            0 when tls || password => "profile 0 is ws:// without a password",
            1 when tls || !password => "profile 1 is ws:// with a password",
            2 when !tls || !password => "profile 2 is wss:// with a password",
            3 when !tls || !certificate => "profile 3 is wss:// with a client certificate",
            < 0 or > 3 => "the profiles are 0 to 3",
            _ => null,
        };
        if (problem is not null)
        {
            throw new ArgumentException($"Endpoint {url} does not match security profile {profile}: {problem}.", nameof(endpoint));
        }
    }
}

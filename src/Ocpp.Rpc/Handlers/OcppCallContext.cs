using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace Ocpp.Rpc;

/// <summary>One inbound CALL or SEND as seen by a handler.</summary>
public sealed class OcppCallContext
{
    private readonly ReadOnlyMemory<byte> _payload;
    private JsonElement? _element;
    private IServiceScope? _scope; // A reference, not AsyncServiceScope?: the context of every call stays small.

    internal OcppCallContext(OcppConnection connection, OcppMessageType messageType, string messageId, string action, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        Connection = connection;
        MessageType = messageType;
        MessageId = messageId;
        Action = action;
        _payload = payload;
        CancellationToken = cancellationToken;
    }

    /// <summary>The connection the call arrived on.</summary>
    public OcppConnection Connection { get; }

    /// <summary>The connection's subprotocol, e.g. <c>ocpp1.6</c>.</summary>
    public string? Protocol => Connection.Protocol;

    /// <summary>The station identity of the connection (see <see cref="OcppConnection.Identity"/>).</summary>
    public string Identity => Connection.Identity;

    /// <summary><see cref="OcppMessageType.Call"/>, or <see cref="OcppMessageType.Send"/> for a 2.1 SEND that gets no reply.</summary>
    public OcppMessageType MessageType { get; }

    /// <summary>The message id of the call.</summary>
    public string MessageId { get; }

    /// <summary>The action name.</summary>
    public string Action { get; }

    /// <summary>The payload as UTF-8 JSON (an object or <c>null</c>). Valid until the handler's task completes.</summary>
    public ReadOnlyMemory<byte> Payload => _payload;

    /// <summary>Cancelled when the connection closes or drops while the handler runs.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>
    /// The services of this call: a DI scope of <see cref="OcppConnectionOptions.Services"/> (the host's provider, set
    /// by <c>AddOcppServer</c>), created on first use and disposed when the call has been answered, so a scoped
    /// service (an EF Core <c>DbContext</c>) is one instance per call, as in a SignalR hub invocation. Calls that never
    /// read it create no scope. <see langword="null"/> when the connection has no service provider.
    /// </summary>
    public IServiceProvider? Services
    {
        get
        {
            if (_scope is { } scope)
            {
                return scope.ServiceProvider;
            }

            if (Connection.Options.Services is not { } root)
            {
                return null;
            }

            IServiceScope created = root.GetRequiredService<IServiceScopeFactory>().CreateScope();
            _scope = created;
            return created.ServiceProvider;
        }
    }

    // The handler the pipeline ends in (read by the last stage of a CallPipeline).
    internal OcppCallHandler? Handler { get; set; }

    internal bool HasScope => _scope is not null;

    internal ValueTask DisposeScopeAsync()
    {
        if (_scope is not { } scope)
        {
            return ValueTask.CompletedTask;
        }

        _scope = null;
        if (scope is IAsyncDisposable asyncScope)
        {
            return asyncScope.DisposeAsync();
        }

        scope.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The payload parsed as a <see cref="JsonElement"/> (parsed on first use, valid after the handler).</summary>
    public JsonElement PayloadElement => _element ??= JsonElement.Parse(_payload.Span);

    /// <summary>Deserializes the payload with source-generated metadata; a JSON <c>null</c> payload reads as <c>{}</c>.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="typeInfo">Its metadata.</param>
    /// <exception cref="JsonException">The payload does not fit <typeparamref name="T"/>; the engine answers FormatViolation.</exception>
    public T Deserialize<T>(JsonTypeInfo<T> typeInfo)
    {
        ReadOnlySpan<byte> json = _payload.Span;
        if (json.SequenceEqual("null"u8))
        {
            json = "{}"u8;
        }

        return JsonSerializer.Deserialize(json, typeInfo) ?? throw new JsonException("The payload is null.");
    }
}

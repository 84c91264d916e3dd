using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Ocpp.Rpc.Validation;

namespace Ocpp.Rpc.Internal;

/// <summary>
/// The <c>DataTransfer</c> handler of one registry and protocol: dispatches on <c>(vendorId, messageId)</c> to the typed
/// handlers registered with <c>HandleDataTransfer</c>, answers <c>UnknownVendorId</c> / <c>UnknownMessageId</c> otherwise.
/// </summary>
internal sealed class DataTransferRouter
{
    private static readonly ConditionalWeakTable<IOcppHandlerRegistry, Dictionary<string, DataTransferRouter>> Routers = new();
    private static readonly byte[] UnknownVendor = """{"status":"UnknownVendorId"}"""u8.ToArray();
    private static readonly byte[] UnknownMessage = """{"status":"UnknownMessageId"}"""u8.ToArray();

    private readonly object _gate = new();
    private readonly Dictionary<(string VendorId, string MessageId), Route> _routes = [];
    private readonly bool _dataAsString;
    private FrozenDictionary<(string VendorId, string MessageId), Route> _byKey = FrozenDictionary<(string, string), Route>.Empty;
    private FrozenSet<string> _vendors = FrozenSet<string>.Empty;
    private IDisposable? _registration;

    private DataTransferRouter(string protocol) => _dataAsString = DataTransferWire.DataAsString(protocol);

    /// <summary>Adds (or replaces) the route of a key on <paramref name="registry"/>'s router for <paramref name="protocol"/>.</summary>
    public static IDisposable Add(IOcppHandlerRegistry registry, string protocol, string vendorId, string messageId, Route route)
    {
        Dictionary<string, DataTransferRouter> byProtocol = Routers.GetValue(registry, _ => new Dictionary<string, DataTransferRouter>(StringComparer.Ordinal));
        DataTransferRouter router;
        lock (byProtocol)
        {
            if (!byProtocol.TryGetValue(protocol, out router!))
            {
                byProtocol[protocol] = router = new DataTransferRouter(protocol);
            }

            lock (router._gate)
            {
                router._routes[(vendorId, messageId)] = route;
                router.Publish();
                router._registration ??= registry.Register(protocol, DataTransferWire.Action, router.HandleAsync);
            }
        }

        return new Registration(() =>
        {
            lock (byProtocol)
            {
                lock (router._gate)
                {
                    if (!router._routes.TryGetValue((vendorId, messageId), out Route? current) || !ReferenceEquals(current, route))
                    {
                        return;
                    }

                    router._routes.Remove((vendorId, messageId));
                    router.Publish();
                    if (router._routes.Count == 0)
                    {
                        router._registration?.Dispose();
                        router._registration = null;
                        byProtocol.Remove(protocol);
                    }
                }
            }
        });
    }

    private void Publish()
    {
        _byKey = _routes.ToFrozenDictionary();
        _vendors = _routes.Keys.Select(k => k.VendorId).ToFrozenSet(StringComparer.Ordinal);
    }

    private ValueTask<OcppReply> HandleAsync(OcppCallContext context)
    {
        if (!DataTransferWire.TryReadRequest(context.Payload.Span, _dataAsString, out string? vendorId, out string? messageId, out ReadOnlyMemory<byte> data, context.Payload)
            || vendorId is null)
        {
            throw new JsonException("A DataTransfer request needs a vendorId.");
        }

        if (!_byKey.TryGetValue((vendorId, messageId ?? string.Empty), out Route? route))
        {
            return new ValueTask<OcppReply>(OcppPayload.FromUtf8Json(_vendors.Contains(vendorId) ? UnknownMessage : UnknownVendor));
        }

        return route.InvokeAsync(context, data.IsEmpty ? "{}"u8.ToArray() : data);
    }

    /// <summary>One typed handler.</summary>
    internal abstract class Route
    {
        public abstract ValueTask<OcppReply> InvokeAsync(OcppCallContext context, ReadOnlyMemory<byte> data);
    }

    private sealed class Registration(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}

/// <summary>A typed route: deserializes the payload, calls the handler, writes the typed result.</summary>
internal sealed class DataTransferRoute<TRequest, TResponse>(Func<TRequest, OcppCallContext, ValueTask<OcppDataTransferResult<TResponse>>> handler) : DataTransferRouter.Route
    where TRequest : IOcppDataTransferRequest<TRequest, TResponse>
{
    public override async ValueTask<OcppReply> InvokeAsync(OcppCallContext context, ReadOnlyMemory<byte> data)
    {
        TRequest request = JsonSerializer.Deserialize(data.Span, TRequest.RequestTypeInfo) ?? throw new JsonException("The DataTransfer data is null.");
        OcppDataTransferResult<TResponse> result = await handler(request, context).ConfigureAwait(false)
            ?? throw new InvalidOperationException("A DataTransfer handler returned null.");
        if (result.Data is not null && context.Connection.Options.Validator is IOcppDataTransferValidator)
        {
            // Strict mode with DataTransfer schemas: our answer's data is checked before it goes out; the caller gets
            // InternalError, as for any response that fails validation.
            byte[] json = JsonSerializer.SerializeToUtf8Bytes(result, DataTransferJson<TRequest, TResponse>.Result);
            if (context.Connection.ValidateDataTransferAnswer(context.MessageId, new DataTransferKey(TRequest.VendorId, TRequest.MessageId), json) is { } failure)
            {
                throw OcppRpcException.Create(OcppErrorCode.InternalError, null, "The response failed validation: " + failure.Description, null);
            }

            return OcppPayload.FromUtf8Json(json);
        }

        return OcppPayload.From(result, DataTransferJson<TRequest, TResponse>.Result);
    }
}

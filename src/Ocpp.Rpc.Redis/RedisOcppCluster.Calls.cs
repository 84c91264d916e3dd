using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Ocpp.Rpc.Clustering;
using Ocpp.Rpc.Framing;
using Ocpp.Rpc.Redis.Internal;
using StackExchange.Redis;

namespace Ocpp.Rpc.Redis;

// Routed calls: the caller publishes a request on the owner's request channel and waits for the reply on its own
// reply channel (correlation map, caller's timeout over the whole round trip); the owner calls its local connection.
public sealed partial class RedisOcppCluster
{
    private static readonly JsonElement NullElement = JsonSerializer.Deserialize("null"u8, RedisJsonContext.Default.JsonElement);

    /// <inheritdoc/>
    /// <exception cref="OcppClusterUnavailableException">The station is not on this node and Redis cannot be reached.</exception>
    public Task<JsonElement> CallAsync(string identity, string action, OcppPayload payload = default, OcppCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentException.ThrowIfNullOrEmpty(action);
        if (TryGetLocal(identity, out OcppConnection? local))
        {
            return local.CallAsync(action, payload, options, cancellationToken);
        }

        // Serialized here, synchronously, so an invalid payload throws like a local call and nothing is kept past this call.
        JsonElement element = ToElement(payload);
        return CallRemoteAsync(identity, action, element, options?.Protocol, options, oneWay: false, cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="OcppClusterUnavailableException">The station is not on this node and Redis cannot be reached.</exception>
    public Task SendAsync(string identity, string action, OcppPayload payload = default, OcppCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentException.ThrowIfNullOrEmpty(action);
        if (TryGetLocal(identity, out OcppConnection? local))
        {
            return local.SendAsync(action, payload, options, cancellationToken);
        }

        JsonElement element = ToElement(payload);
        return CallRemoteAsync(identity, action, element, options?.Protocol, options, oneWay: true, cancellationToken);
    }

    private async Task<JsonElement> CallRemoteAsync(string identity, string action, JsonElement payload, string? protocol, OcppCallOptions? options, bool oneWay, CancellationToken cancellationToken)
    {
        using Activity? activity = Telemetry.Source.StartActivity(action, ActivityKind.Client);
        activity?.SetTag("rpc.system", "ocpp");
        activity?.SetTag("rpc.method", action);
        activity?.SetTag("ocpp.station", identity);
        long started = Stopwatch.GetTimestamp();
        string outcome = "result";
        try
        {
            return await RouteAsync(identity, action, payload, protocol, options, oneWay, activity, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            outcome = Telemetry.OutcomeOf(ex);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
        finally
        {
            var tags = new TagList { { "rpc.method", action }, { "ocpp.outcome", outcome } };
            activity?.SetTag("ocpp.outcome", outcome);
            Telemetry.RoutedCalls.Add(1, tags);
            Telemetry.RoutedCallDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    }

    private async Task<JsonElement> RouteAsync(string identity, string action, JsonElement payload, string? protocol, OcppCallOptions? options, bool oneWay, Activity? activity, CancellationToken cancellationToken)
    {
        TimeSpan timeout = options?.Timeout ?? _options.DefaultCallTimeout;
        long started = Stopwatch.GetTimestamp();
        IConnectionMultiplexer redis = await GetRedisAsync().ConfigureAwait(false);

        // One extra hop when the owner answers "not here": the station may have moved between lookup and arrival. A
        // route hint (the node the station answered from after a lookup in the last second) replaces the first lookup;
        // when it misses, the call looks presence up as if there had been no hint.
        bool tryHint = true;
        for (int hop = 0; ;)
        {
            string correlationId = NextCorrelationId();
            string messageId = options?.MessageId ?? correlationId;
            TimeSpan remaining = Remaining(started, timeout, action, messageId);
            bool callerDeadline = remaining < _options.OperationTimeout;
            string? owner = null;
            bool hinted = tryHint && TryGetRouteHint(identity, out owner);
            tryHint = false;
            if (!hinted)
            {
                try
                {
                    owner = await FindOwnerAsync(identity, callerDeadline ? remaining : _options.OperationTimeout, cancellationToken).ConfigureAwait(false);
                }
                catch (OcppClusterUnavailableException ex) when (callerDeadline && ex.InnerException is TimeoutException { InnerException: null })
                {
                    throw new OcppCallTimeoutException(action, messageId, timeout);
                }
            }

            if (owner is null)
            {
                _routeHints.TryRemove(identity, out _);
                throw new OcppStationNotConnectedException(identity);
            }

            activity?.SetTag("ocpp.cluster.node", owner);
            if (owner == NodeId)
            {
                // Presence says here but the connection is gone (closing) or not registered yet.
                if (!_local.TryGetValue(identity, out LocalStation? local))
                {
                    throw new OcppStationNotConnectedException(identity);
                }

                if (oneWay)
                {
                    await local.Connection.SendAsync(action, OcppPayload.FromElement(payload), options, cancellationToken).ConfigureAwait(false);
                    return NullElement;
                }

                return await local.Connection.CallAsync(action, OcppPayload.FromElement(payload), (options ?? new OcppCallOptions()) with { Timeout = Remaining(started, timeout, action, messageId) }, cancellationToken).ConfigureAwait(false);
            }

            var request = new ClusterMessage
            {
                Type = ClusterMessageType.Call,
                Id = correlationId,
                Node = NodeId,
                Station = identity,
                Action = action,
                Payload = payload,
                TimeoutMs = (long)Math.Ceiling(Remaining(started, timeout, action, messageId).TotalMilliseconds),
                Protocol = protocol,
                MessageId = options?.MessageId,
                SkipValidation = options?.SkipValidation == true ? true : null,
                OneWay = oneWay ? true : null,
                TraceParent = activity?.Id,
            };
            var reply = new PendingReply();
            _pending[correlationId] = reply;
            ClusterMessage answer;
            NodeLink? link = null;
            try
            {
                remaining = Remaining(started, timeout, action, messageId);
                byte[] frame = Serialize(request);
                link = TrySendOverLink(owner, frame, reply);
                long receivers = link is not null ? 1 : await Guard(redis.GetSubscriber().PublishAsync(NodeChannel(owner, "req"), frame), $"route {action} to node {owner}", cancellationToken, remaining < _options.OperationTimeout ? remaining : null).ConfigureAwait(false);
                if (receivers == 0)
                {
                    ForgetRoute(identity, owner);
                    if (hinted)
                    {
                        continue;
                    }

                    // The owner's heartbeat is alive but nobody listens: it died or lost Redis. Nothing will answer.
                    Log.NodeUnreachable(_logger, NodeId, owner, identity);
                    throw new OcppStationNotConnectedException(identity);
                }

                answer = await reply.Task.WaitAsync(Remaining(started, timeout, action, messageId), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // No reply at all: the node may be stuck. The next call asks Redis again.
                ForgetRoute(identity, owner);
                throw new OcppCallTimeoutException(action, messageId, timeout);
            }
            catch (OcppClusterUnavailableException ex) when (ex.InnerException is TimeoutException { InnerException: null } && Stopwatch.GetElapsedTime(started) >= timeout)
            {
                throw new OcppCallTimeoutException(action, messageId, timeout);
            }
            catch (OcppClusterUnavailableException) when (link is not null)
            {
                // The link closed before the reply: the owner may be gone. The next call asks Redis again.
                ForgetRoute(identity, owner);
                throw;
            }
            finally
            {
                _pending.TryRemove(correlationId, out _);
            }

            if (answer.Type is ClusterMessageType.Absent or ClusterMessageType.Closed)
            {
                ForgetRoute(identity, owner);
                if (answer.Type == ClusterMessageType.Absent && (hinted || hop++ == 0))
                {
                    continue;
                }
            }
            else if (!hinted)
            {
                RememberRoute(identity, owner);
            }

            return answer.Type switch
            {
                ClusterMessageType.Result => answer.Payload ?? NullElement,
                ClusterMessageType.Error => throw OcppRpcException.Create(OcppErrorCodes.FromWire(answer.Code), answer.Code, answer.Description, answer.Details),
                ClusterMessageType.Timeout => throw new OcppCallTimeoutException(action, messageId, timeout),
                ClusterMessageType.Closed => throw new OcppConnectionClosedException(answer.Description ?? $"The connection of '{identity}' closed.", answer.Number is { } code ? (int)code : null),
                ClusterMessageType.Busy => throw new OcppCallQueueFullException((int)(answer.Number ?? 0)),
                ClusterMessageType.Absent => throw new OcppStationNotConnectedException(identity),
                ClusterMessageType.Protocol => throw new ArgumentException(answer.Description),
                _ => throw new InvalidOperationException($"Node {owner} could not call '{identity}': {answer.Description}"),
            };
        }
    }

    /// <summary>The time left of a call, or its timeout exception when none is left.</summary>
    private static TimeSpan Remaining(long started, TimeSpan timeout, string action, string messageId)
    {
        TimeSpan remaining = timeout - Stopwatch.GetElapsedTime(started);
        return remaining > TimeSpan.Zero ? remaining : throw new OcppCallTimeoutException(action, messageId, timeout);
    }

    /// <summary>Writes a payload once into JSON with the core's frame writer (validating it), and parses it for the envelope.</summary>
    private static JsonElement ToElement(in OcppPayload payload)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Range range;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            range = OcppFrameWriter.WriteResult(writer, string.Empty, payload);
        }

        return JsonSerializer.Deserialize(buffer.WrittenSpan[range], RedisJsonContext.Default.JsonElement);
    }

    private void OnReply(RedisChannel channel, RedisValue value)
    {
        if (Deserialize(channel, value) is { Id: not null } message)
        {
            CompleteRoutedCall(message);
        }
    }

    /// <summary>Hands a reply (from the caller's reply channel or a node link) to the routed call waiting for it.</summary>
    private void CompleteRoutedCall(ClusterMessage reply)
    {
        if (_pending.TryRemove(reply.Id!, out PendingReply? pending))
        {
            pending.TrySetResult(reply);
        }
        else
        {
            Log.UnmatchedReply(_logger, NodeId, reply.Id!);
        }
    }

    private void OnRequest(RedisChannel channel, RedisValue value)
    {
        if (Deserialize(channel, value) is { Type: ClusterMessageType.Call, Node: not null, Station: not null, Action: not null } message)
        {
            _ = AnswerAsync(message);
        }
    }

    /// <summary>
    /// Performs a routed call on the local connection and sends the outcome back the way the request came: over the
    /// caller's link, or on the caller's reply channel.
    /// </summary>
    private async Task AnswerAsync(ClusterMessage request, NodeLink? link = null)
    {
        ActivityContext.TryParse(request.TraceParent, null, out ActivityContext parent);
        using Activity? activity = Telemetry.Source.StartActivity(request.Action!, ActivityKind.Server, parent);
        activity?.SetTag("rpc.system", "ocpp");
        activity?.SetTag("rpc.method", request.Action);
        activity?.SetTag("ocpp.station", request.Station);
        ClusterMessage reply = await CallLocalAsync(request).ConfigureAwait(false);
        activity?.SetTag("ocpp.outcome", reply.Type);
        reply.Id = request.Id;
        reply.Node = NodeId;
        byte[] frame = Serialize(reply);
        if (link is not null)
        {
            if (link.TrySend(frame))
            {
                return;
            }

            if (!link.IsOpen)
            {
                // A closed link already failed the call on the caller's side: there is nobody to answer.
                Log.LinkReplyDropped(_logger, NodeId, request.Action!, request.Node!);
                return;
            }

            // Open but refusing (its queue is full, or the reply is larger than a link frame): the caller's reply
            // channel reaches the same waiting call.
        }

        try
        {
            IConnectionMultiplexer redis = await GetRedisAsync().ConfigureAwait(false);
            await Guard(redis.GetSubscriber().PublishAsync(NodeChannel(request.Node!, "rep"), frame), $"reply to node {request.Node}", default).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OcppClusterUnavailableException or ObjectDisposedException)
        {
            Log.ReplyFailed(_logger, ex, NodeId, request.Action!, request.Node!);
        }
    }

    private async Task<ClusterMessage> CallLocalAsync(ClusterMessage request)
    {
        if (!_local.TryGetValue(request.Station!, out LocalStation? station))
        {
            return new ClusterMessage { Type = ClusterMessageType.Absent };
        }

        OcppConnection connection = station.Connection;
        if (request.Protocol is { } protocol && connection.Protocol is { } actual && !string.Equals(protocol, actual, StringComparison.Ordinal))
        {
            return new ClusterMessage { Type = ClusterMessageType.Protocol, Description = $"{request.Action} is an {protocol} message but '{request.Station}' speaks {actual}." };
        }

        var options = new OcppCallOptions
        {
            Timeout = request.TimeoutMs is > 0 and var ms ? TimeSpan.FromMilliseconds(ms) : null,
            SkipValidation = request.SkipValidation == true,
            MessageId = request.MessageId,
        };
        try
        {
            OcppPayload payload = request.Payload is { } element ? OcppPayload.FromElement(element) : OcppPayload.FromElement(NullElement);
            if (request.OneWay == true)
            {
                await connection.SendAsync(request.Action!, payload, options).ConfigureAwait(false);
                return new ClusterMessage { Type = ClusterMessageType.Result };
            }

            JsonElement result = await connection.CallAsync(request.Action!, payload, options).ConfigureAwait(false);
            return new ClusterMessage { Type = ClusterMessageType.Result, Payload = result };
        }
        catch (OcppRpcException ex)
        {
            string code = ex.WireCode ?? OcppErrorCodes.ToWire(ex.Code, connection.Dialect);
            return new ClusterMessage { Type = ClusterMessageType.Error, Code = code, Description = ex.Description, Details = ex.Details };
        }
        catch (OcppCallTimeoutException)
        {
            return new ClusterMessage { Type = ClusterMessageType.Timeout };
        }
        catch (OcppConnectionClosedException ex)
        {
            return new ClusterMessage { Type = ClusterMessageType.Closed, Description = ex.Message, Number = ex.CloseCode };
        }
        catch (OcppCallQueueFullException ex)
        {
            return new ClusterMessage { Type = ClusterMessageType.Busy, Number = ex.Limit };
        }
#pragma warning disable CA1031 // Any other failure is reported to the caller rather than lost.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new ClusterMessage { Type = ClusterMessageType.Failed, Description = $"{ex.GetType().Name}: {ex.Message}" };
        }
    }

    /// <summary>
    /// A routed call waiting for its reply, and the node link its request went on (null: through Redis), so a link
    /// that closes fails exactly its calls and losing Redis fails only the others.
    /// </summary>
    private sealed class PendingReply() : TaskCompletionSource<ClusterMessage>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        private NodeLink? _link;

        public NodeLink? Link => Volatile.Read(ref _link);

        /// <summary>Records the link (a full fence: a link closing after this sees the call, see <see cref="NodeLink.TrySend"/>).</summary>
        public void SentOn(NodeLink? link) => Interlocked.Exchange(ref _link, link);
    }
}

namespace Ocpp.Rpc.Client;

// Endpoint fallback (OcppClientOptions.Endpoints): which endpoint is active, moving on after failures, switching and
// replacing endpoints at runtime. Queued calls and the message queue are untouched by a switch.
public sealed partial class OcppClient
{
    /// <summary>The active endpoint changed: fallback after failed attempts, or <see cref="SwitchEndpointAsync"/>.</summary>
    public event EventHandler<OcppClientEndpointChangedEventArgs>? EndpointChanged;

    /// <summary>The endpoints in priority order (<see cref="OcppClientOptions.Endpoints"/>, or the single <see cref="OcppClientOptions.Endpoint"/>), as replaced by <see cref="SetEndpoint"/>.</summary>
    public IReadOnlyList<OcppEndpoint> Endpoints => [.. Volatile.Read(ref _endpoints).Select(e => e.Endpoint)];

    /// <summary>The index in <see cref="Endpoints"/> of the endpoint the client is connected to, or tries next.</summary>
    public int ActiveEndpointIndex => Volatile.Read(ref _activeEndpoint);

    /// <summary>
    /// Replaces the endpoint at <paramref name="index"/>, or appends one when <paramref name="index"/> is
    /// <c>Endpoints.Count</c> (OCPP 2.0.1 <c>SetNetworkProfile</c>). Takes effect at the next connection attempt to it;
    /// call <see cref="SwitchEndpointAsync"/> to use it now. Nothing queued is lost.
    /// </summary>
    /// <param name="index">The slot, from 0 (highest priority) to <c>Endpoints.Count</c>.</param>
    /// <param name="endpoint">The new endpoint.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    /// <exception cref="ArgumentException">The endpoint URL is not ws:// or wss://, or does not match its security profile.</exception>
    public void SetEndpoint(int index, OcppEndpoint endpoint)
    {
        var created = new ClientEndpoint(endpoint, Options);
        lock (_lock)
        {
            if (_disposed || index < 0 || index > _endpoints.Length)
            {
                created.Dispose();
                ObjectDisposedException.ThrowIf(_disposed, this);
                throw new ArgumentOutOfRangeException(nameof(index), index, $"The index must be between 0 and {_endpoints.Length}.");
            }

            ClientEndpoint[] endpoints = index == _endpoints.Length ? [.. _endpoints, created] : [.. _endpoints];
            if (index < _endpoints.Length)
            {
                // The old handler may still be reading a handshake: released with the client.
                _retiredEndpoints.Add(endpoints[index]);
                endpoints[index] = created;
            }

            Volatile.Write(ref _endpoints, endpoints);
        }
    }

    /// <summary>
    /// Makes the endpoint at <paramref name="index"/> the active one and connects to it now: an open connection is
    /// closed (after its in-flight calls are answered) and the client reconnects there without a back-off wait; a
    /// client waiting to reconnect stops waiting. Use it to return to a higher-priority endpoint, or to apply one
    /// replaced by <see cref="SetEndpoint"/>. If the endpoint fails, the usual fallback goes on from it. Queued calls
    /// and queued transaction messages wait and are sent on the new connection.
    /// </summary>
    /// <param name="index">The endpoint's index in <see cref="Endpoints"/>.</param>
    /// <param name="cancellationToken">Stops waiting for in-flight calls of the old connection (it is then closed at once).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public async Task SwitchEndpointAsync(int index, CancellationToken cancellationToken = default)
    {
        OcppConnection? connection;
        CancellationTokenSource? wake;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _endpoints.Length);
            SetActiveLocked(index);
            _switchNow = true;
            connection = _connection;
            wake = _wake;
        }

        RaiseEndpointChanged(index, requested: true);
        wake?.Cancel();
        if (connection is not null && connection.State == OcppConnectionState.Open)
        {
            await connection.CloseAsync(new OcppCloseOptions { Reason = "Switching CSMS endpoint" }, cancellationToken).ConfigureAwait(false);
        }
    }

    // Fallback after failed attempts; false when there is only one endpoint.
    private bool MoveToNextEndpoint()
    {
        int next;
        lock (_lock)
        {
            if (_endpoints.Length < 2)
            {
                return false;
            }

            next = (_activeEndpoint + 1) % _endpoints.Length;
            SetActiveLocked(next);
        }

        ClientLog.EndpointChanged(_logger, Identity, next, Uri);
        RaiseEndpointChanged(next, requested: false);
        return true;
    }

    private void SetActiveLocked(int index)
    {
        Volatile.Write(ref _activeEndpoint, index);
        _endpointGeneration++;
    }

    private void RaiseEndpointChanged(int index, bool requested)
    {
        ClientEndpoint endpoint = Volatile.Read(ref _endpoints)[index];
        Raise(EndpointChanged, new OcppClientEndpointChangedEventArgs(index, endpoint.Endpoint, endpoint.Uri, requested), nameof(EndpointChanged));
    }
}

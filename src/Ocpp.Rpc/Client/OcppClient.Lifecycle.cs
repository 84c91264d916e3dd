namespace Ocpp.Rpc.Client;

// Connecting, watching the connection, reconnecting with back-off, and closing.
public sealed partial class OcppClient
{
    /// <summary>
    /// Connects for the first time, offering <see cref="OcppClientOptions.EffectiveProtocols"/> in preference order. A failure
    /// is not retried: it throws and the client returns to <see cref="OcppClientState.Closed"/> (calls queued
    /// meanwhile fail). Once connected, lost links are reconnected in the background.
    /// </summary>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <exception cref="OcppConnectException">The handshake failed: HTTP status (401, 404, ...), no agreed subprotocol, TLS, network or timeout.</exception>
    /// <exception cref="OcppConnectionClosedException"><see cref="CloseAsync"/> was called meanwhile.</exception>
    /// <exception cref="InvalidOperationException">The client is not <see cref="OcppClientState.Closed"/>.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    /// <exception cref="OcppMessageStoreException">The message queue's store could not be read (<see cref="OcppClientOptions.MessageQueue"/>).</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        if (_messages is not null)
        {
            // The store is read before the first connection, so a corrupted or locked one fails here, at start.
            await _messages.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        CancellationTokenSource stop;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (State != OcppClientState.Closed)
            {
                throw new InvalidOperationException($"The client is {State}; ConnectAsync is only allowed when it is Closed.");
            }

            _stop?.Dispose();
            stop = _stop = new CancellationTokenSource();
            SetStateLocked(OcppClientState.Connecting);
        }

        RaiseStateChanged(OcppClientState.Closed, OcppClientState.Connecting);
        OcppConnection connection;
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stop.Token);
            connection = await OpenFirstAsync(Protocol is { } pinned ? [pinned] : Options.EffectiveProtocols, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            EndConnecting(ex);
            if (ex is OperationCanceledException && stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new OcppConnectionClosedException("The client was closed while connecting.", null, null, ex);
            }

            throw;
        }

        Interlocked.CompareExchange(ref _protocol, connection.Protocol, null);
        if (!await ActivateAsync(connection, isReconnect: false, stop.Token).ConfigureAwait(false))
        {
            throw new OcppConnectionClosedException("The client was closed while connecting.");
        }

        lock (_lock)
        {
            if (_stop == stop && !stop.IsCancellationRequested)
            {
                _supervisor = Task.Run(() => SuperviseAsync(connection, stop.Token), CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Stops reconnecting, fails queued calls with <see cref="OcppConnectionClosedException"/>, and closes the current
    /// connection with <paramref name="options"/> (by default waiting for in-flight calls). Returns when the client is
    /// <see cref="OcppClientState.Closed"/>; concurrent calls wait for the same close.
    /// </summary>
    /// <param name="options">Close code, reason and whether to await in-flight calls.</param>
    /// <param name="cancellationToken">Stops waiting for in-flight calls; the close then proceeds at once.</param>
    public async Task CloseAsync(OcppCloseOptions? options = null, CancellationToken cancellationToken = default)
    {
        var closing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        OcppClientState previous;
        OcppConnection? connection;
        List<QueuedCall> queued;
        CancellationTokenSource? stop;
        Task? supervisor;
        Task? running;
        lock (_lock)
        {
            running = _closing;
            if (running is null && State == OcppClientState.Closed)
            {
                return;
            }

            _closing ??= closing.Task;
            previous = running is null ? SetStateLocked(OcppClientState.Closing) : State;
            connection = _connection;
            queued = running is null ? TakeQueueLocked() : [];
            stop = _stop;
            supervisor = _supervisor;
        }

        if (running is not null)
        {
            await running.ConfigureAwait(false);
            return;
        }

        OcppClosedEventArgs? closed = null;
        try
        {
            RaiseStateChanged(previous, OcppClientState.Closing);
            stop?.Cancel();
            FailAll(queued, new OcppConnectionClosedException("The client was closed before the call could be sent."));
            if (connection is not null)
            {
                closed = await connection.CloseAsync(options, cancellationToken).ConfigureAwait(false);
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            if (supervisor is not null)
            {
                await supervisor.ConfigureAwait(false);
            }
        }
        finally
        {
            lock (_lock)
            {
                _connection = null;
                _supervisor = null;
                _closing = null;
                SetStateLocked(OcppClientState.Closed);
            }

            closing.TrySetResult();
        }

        if (closed is not null)
        {
            Raise(Disconnected, new OcppClientDisconnectedEventArgs(closed.Code, closed.Reason, closed.ClosedByPeer, WillReconnect: false), nameof(Disconnected));
        }

        RaiseStateChanged(OcppClientState.Closing, OcppClientState.Closed);
    }

    // The first connect: each endpoint once, from the active one on, in priority order; the last failure is thrown.
    private async Task<OcppConnection> OpenFirstAsync(IReadOnlyList<string> protocols, CancellationToken cancellationToken)
    {
        int count = Volatile.Read(ref _endpoints).Length;
        for (int tried = 1; ; tried++)
        {
            try
            {
                return await OpenAsync(protocols, cancellationToken).ConfigureAwait(false);
            }
            catch (OcppConnectException) when (tried < count && !cancellationToken.IsCancellationRequested)
            {
                MoveToNextEndpoint();
            }
        }
    }

    private async Task<OcppConnection> OpenAsync(IReadOnlyList<string> protocols, CancellationToken cancellationToken)
    {
        ClientEndpoint endpoint;
        lock (_lock)
        {
            endpoint = _endpoints[_activeEndpoint];
        }

        try
        {
            System.Net.WebSockets.ClientWebSocket socket = await ClientHandshake.ConnectAsync(Options, endpoint.Uri, endpoint.Password, protocols, endpoint.Invoker, cancellationToken).ConfigureAwait(false);
            return new OcppConnection(new Transport.WebSocketTransport(socket), Options.Connection, Identity, _handlers);
        }
        catch (OcppConnectException ex)
        {
            ClientLog.ConnectFailed(_logger, Identity, ex.Failure, ex.Message);
            throw;
        }
    }

    // Makes a new connection current: raises Connected, starts reading, sends the queued calls in order, then Open.
    // Returns false when CloseAsync won the race (the connection is then closed here).
    private async Task<bool> ActivateAsync(OcppConnection connection, bool isReconnect, CancellationToken stop)
    {
        bool stray;
        lock (_lock)
        {
            stray = stop.IsCancellationRequested || State is OcppClientState.Closing or OcppClientState.Closed;
            if (!stray)
            {
                Volatile.Write(ref _connection, connection);
            }
        }

        if (stray)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            return false;
        }

        ClientLog.Connected(_logger, Identity, Uri, connection.Protocol!, isReconnect);
        Raise(Connected, new OcppClientConnectedEventArgs(connection, connection.Protocol!, isReconnect), nameof(Connected));
        connection.Start();
        OcppClientState previous;
        while (true)
        {
            List<QueuedCall> batch;
            lock (_lock)
            {
                if (_connection != connection || State is OcppClientState.Closing or OcppClientState.Closed)
                {
                    return false;
                }

                // A connection that is already gone (the server dropped it at once) starts nothing: a queued call
                // refused by it goes straight back to the queue, so starting them again would spin here for ever.
                // They wait for the next connection, which the supervisor opens when it sees this one end.
                if (_queue.Count == 0 || connection.State != OcppConnectionState.Open)
                {
                    previous = SetStateLocked(OcppClientState.Open);
                    break;
                }

                batch = TakeQueueLocked();
            }

            foreach (QueuedCall call in batch)
            {
                call.Start(connection);
            }
        }

        RaiseStateChanged(previous, OcppClientState.Open);
        return true;
    }

    // The open connection, waiting (without polling) while the client connects, reconnects or is closed.
    internal async Task<OcppConnection> WaitForOpenConnectionAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                OcppConnection? connection = _connection;
                if (State == OcppClientState.Open && connection is { State: OcppConnectionState.Open })
                {
                    return connection;
                }

                // A connection that dropped while the client still says Open: wait for the supervisor to notice.
                wait = connection is not null && connection.State != OcppConnectionState.Open && State == OcppClientState.Open
                    ? connection.Completion
                    : _opened.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // Watches the current connection; when it ends without CloseAsync, reconnects (or gives up) and repeats.
    private async Task SuperviseAsync(OcppConnection connection, CancellationToken stop)
    {
        while (true)
        {
            OcppClosedEventArgs closed = await connection.Completion.ConfigureAwait(false);
            bool reconnect = Options.Reconnect.Enabled;
            OcppClientState previous;
            List<QueuedCall> queued = [];
            lock (_lock)
            {
                if (stop.IsCancellationRequested || State is OcppClientState.Closing or OcppClientState.Closed)
                {
                    return;
                }

                Volatile.Write(ref _connection, null);
                previous = SetStateLocked(reconnect ? OcppClientState.Reconnecting : OcppClientState.Closed);
                if (!reconnect)
                {
                    queued = TakeQueueLocked();
                }
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            ClientLog.Disconnected(_logger, Identity, closed.Code, closed.Reason, reconnect);
            Raise(Disconnected, new OcppClientDisconnectedEventArgs(closed.Code, closed.Reason, closed.ClosedByPeer, reconnect), nameof(Disconnected));
            RaiseStateChanged(previous, reconnect ? OcppClientState.Reconnecting : OcppClientState.Closed);
            if (!reconnect)
            {
                FailAll(queued, new OcppConnectionClosedException("The connection was lost and reconnecting is disabled.", closed.Code, closed.Reason));
                return;
            }

            OcppConnection? next = await ReconnectAsync(stop).ConfigureAwait(false);
            if (next is null)
            {
                return;
            }

            connection = next;
        }
    }

    // Reconnects under the back-off: EndpointAttempts attempts per endpoint (the back-off starting again on each),
    // then the next endpoint. A requested switch (SwitchEndpointAsync) cuts the wait short and starts afresh there.
    private async Task<OcppConnection?> ReconnectAsync(CancellationToken stop)
    {
        OcppReconnectOptions reconnect = Options.Reconnect;
        Exception? lastError = null;
        int generation = Volatile.Read(ref _endpointGeneration);
        int onEndpoint = 0;
        for (int attempt = 1; ; attempt++)
        {
            if (attempt > reconnect.MaxAttempts)
            {
                GiveUp(attempt - 1, lastError);
                return null;
            }

            CancellationTokenSource wake;
            bool now;
            lock (_lock)
            {
                if (_endpointGeneration != generation)
                {
                    generation = _endpointGeneration;
                    onEndpoint = 0;
                }

                now = _switchNow;
                _switchNow = false;
                if (_wake is null || _wake.IsCancellationRequested)
                {
                    _wake?.Dispose();
                    _wake = new CancellationTokenSource();
                }

                wake = _wake;
            }

            onEndpoint++;
            TimeSpan delay = now ? TimeSpan.Zero : reconnect.GetDelay(onEndpoint, Random.Shared.NextDouble());
            ClientLog.Reconnecting(_logger, Identity, attempt, delay.TotalMilliseconds);
            Raise(Reconnecting, new OcppClientReconnectingEventArgs(attempt, delay, lastError), nameof(Reconnecting));
            try
            {
                await WaitAsync(delay, wake.Token, stop).ConfigureAwait(false);
                OcppConnection connection = await OpenAsync([Protocol!], stop).ConfigureAwait(false);
                return await ActivateAsync(connection, isReconnect: true, stop).ConfigureAwait(false) ? connection : null;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return null;
            }
#pragma warning disable CA1031 // Any failed attempt is retried under the back-off; it is reported to the next Reconnecting event.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                lastError = ex;
            }

            if (onEndpoint >= Options.EndpointAttempts && Volatile.Read(ref _endpointGeneration) == generation && MoveToNextEndpoint())
            {
                generation = Volatile.Read(ref _endpointGeneration);
                onEndpoint = 0;
            }
        }
    }

    // The back-off delay, ended early (without an error) when a switch of endpoint wakes the reconnect loop.
    private async Task WaitAsync(TimeSpan delay, CancellationToken wake, CancellationToken stop)
    {
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(wake, stop);
        try
        {
            await Task.Delay(delay, Options.TimeProvider, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (wake.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            // Woken by SwitchEndpointAsync: connect now.
        }
    }

    private void GiveUp(int attempts, Exception? lastError)
    {
        List<QueuedCall> queued;
        OcppClientState previous;
        lock (_lock)
        {
            if (State != OcppClientState.Reconnecting)
            {
                return;
            }

            previous = SetStateLocked(OcppClientState.Closed);
            queued = TakeQueueLocked();
        }

        ClientLog.GaveUp(_logger, Identity, attempts);
        FailAll(queued, new OcppConnectionClosedException($"Gave up reconnecting after {attempts} attempts.", null, null, lastError));
        RaiseStateChanged(previous, OcppClientState.Closed);
    }

    // The first connect failed or was cancelled: back to Closed unless CloseAsync already took over.
    private void EndConnecting(Exception error)
    {
        List<QueuedCall> queued;
        lock (_lock)
        {
            if (State != OcppClientState.Connecting)
            {
                return;
            }

            SetStateLocked(OcppClientState.Closed);
            queued = TakeQueueLocked();
        }

        FailAll(queued, new OcppConnectionClosedException("The client could not connect.", null, null, error));
        RaiseStateChanged(OcppClientState.Connecting, OcppClientState.Closed);
    }
}

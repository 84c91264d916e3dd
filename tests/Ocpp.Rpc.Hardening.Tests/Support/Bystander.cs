using System.Collections.Concurrent;
using Ocpp.Rpc.Client;

namespace Ocpp.Rpc.Hardening.Tests.Support;

/// <summary>
/// A well-behaved station calling Heartbeat in a loop while a test abuses the server; reconnecting is disabled, so
/// any lost link or failed call shows up in <see cref="Failures"/>.
/// </summary>
internal sealed class Bystander : IAsyncDisposable
{
    private readonly OcppClient _client;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private int _ok;
    private int _disposed;

    private Bystander(OcppClient client)
    {
        _client = client;
    }

    public int Ok => Volatile.Read(ref _ok);

    public ConcurrentQueue<Exception> Failures { get; } = new();

    /// <summary>Connects and starts calling. The server must answer Heartbeat.</summary>
    public static async Task<Bystander> StartAsync(Uri endpoint, string identity = "BYSTANDER")
    {
        var client = new OcppClient(Servers.Client(endpoint, identity) with { Reconnect = OcppReconnectOptions.Disabled });
        await client.ConnectAsync();
        var bystander = new Bystander(client);
        bystander._loop = Task.Run(bystander.LoopAsync);
        return bystander;
    }

    /// <summary>Stops calling; returns how many calls succeeded.</summary>
    public async Task<int> StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        if (_loop is not null)
        {
            await _loop.Within(TimeSpan.FromSeconds(20), "the bystander's loop stops");
        }

        return Ok;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync();
        await _client.DisposeAsync();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _client.CallAsync("Heartbeat");
                Interlocked.Increment(ref _ok);
            }
            catch (Exception ex)
            {
                Failures.Enqueue(ex);
            }

            try
            {
                await Task.Delay(10, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}

using Microsoft.Extensions.Hosting;

namespace Ocpp.Rpc.AspNetCore;

// Closes every station connection with 1001 as the host begins to stop, before Kestrel waits for requests to end
// (each WebSocket keeps its request open).
internal sealed class OcppServerHostedService(OcppServer server) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => server.StopAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

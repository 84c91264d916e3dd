using Microsoft.Extensions.Hosting;

namespace Ocpp.Rpc.AspNetCore.Internal;

/// <summary>
/// The lifetime of the Kestrel host that <see cref="OcppServer.ListenAsync"/> builds internally. The default
/// console lifetime would take over Ctrl+C and SIGTERM for a host the application never sees, so the process would
/// not exit on SIGTERM; the application owning the server decides when to stop it.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

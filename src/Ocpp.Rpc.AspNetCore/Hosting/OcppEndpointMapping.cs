namespace Ocpp.Rpc.AspNetCore.Hosting;

// Set by MapOcpp: the DI-hosted server has an endpoint, so stations can reach it once the host runs (read by the health check).
internal sealed class OcppEndpointMapping
{
    public volatile bool Mapped;
}

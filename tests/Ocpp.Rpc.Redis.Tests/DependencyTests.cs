using System.Reflection;

namespace Ocpp.Rpc.Redis.Tests;

/// <summary>The Redis cluster works with the core package alone: no ASP.NET Core in a console app that only uses it (issue 20).</summary>
public sealed class DependencyTests
{
    [Fact]
    public void The_Redis_assembly_references_neither_the_server_package_nor_ASP_NET_Core()
    {
        string[] references = [.. typeof(RedisOcppCluster).Assembly.GetReferencedAssemblies().Select(a => a.Name!)];

        references.Should().Contain("Ocpp.Rpc");
        references.Should().NotContain("Ocpp.Rpc.AspNetCore");
        references.Should().NotContain(name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void The_DI_extensions_live_in_the_ecosystem_namespaces()
    {
        typeof(Microsoft.Extensions.DependencyInjection.RedisClusteringServerBuilderExtensions).Assembly.Should().BeSameAs(typeof(RedisOcppCluster).Assembly);
        typeof(Microsoft.Extensions.DependencyInjection.IOcppServerBuilder).Assembly.GetName().Name.Should().Be("Ocpp.Rpc");
        typeof(Microsoft.Extensions.DependencyInjection.OcppServiceCollectionExtensions).Assembly.GetName().Name.Should().Be("Ocpp.Rpc.AspNetCore");
        typeof(Microsoft.AspNetCore.Builder.OcppEndpointRouteBuilderExtensions).Assembly.GetName().Name.Should().Be("Ocpp.Rpc.AspNetCore");
        Assembly.Load("Ocpp.Rpc.AspNetCore").GetExportedTypes().Where(t => t.Name.EndsWith("Extensions", StringComparison.Ordinal))
            .Select(t => t.Namespace).Should().OnlyContain(ns => ns == "Microsoft.Extensions.DependencyInjection" || ns == "Microsoft.AspNetCore.Builder");
    }
}

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Ocpp.Rpc.Hardening.Tests.Support;

namespace Ocpp.Rpc.Hardening.Tests;

/// <summary>The crash detector the other tests rely on is not vacuous: it sees what it claims to see.</summary>
public sealed class WatchSelfTests
{
    [Fact]
    public async Task Watch_sees_an_exception_escaping_a_request_of_a_standalone_kestrel()
    {
        using var watch = new ProcessWatch();
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using WebApplication app = builder.Build();
        app.Run(_ => throw new InvalidOperationException("escaped"));
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient();
        (await http.GetAsync(new Uri(address + "/x"))).StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        await Eventually.HoldsAsync(() => watch.Problems.Count > 0, "the watch saw the escaped exception");
        watch.Problems.First().Should().Contain("escaped");
        await app.StopAsync();
    }

    [Fact]
    public async Task Watch_sees_an_unobserved_task_exception()
    {
        using var watch = new ProcessWatch();
        Fail();
        await Task.Delay(50);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        watch.Problems.Should().ContainSingle(p => p.Contains("lost"));

        static void Fail() => _ = Task.Run(() => throw new InvalidOperationException("lost"));
    }
}

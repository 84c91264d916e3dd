using Ocpp.Rpc.Tests.Support;

namespace Ocpp.Rpc.Tests;

// Handle(...) returns an IDisposable that removes exactly that registration.
public class RegistrationTests
{
    private static ValueTask<OcppReply> Reply(string json) => new(OcppPayload.FromJson(json));

    [Fact]
    public async Task Disposing_a_registration_removes_the_handler()
    {
        IDisposable registration = null!;
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp16, setup: c => registration = c.Handle("Heartbeat", _ => Reply("{}")));
        await peer.SendAsync("""[2,"1","Heartbeat",{}]""");
        (await peer.ReceiveJsonAsync())[0].GetInt32().Should().Be(3);

        registration.Dispose();
        registration.Dispose();
        await peer.SendAsync("""[2,"2","Heartbeat",{}]""");
        (await peer.ReceiveJsonAsync())[2].GetString().Should().Be("NotImplemented");
    }

    [Fact]
    public void Disposing_an_old_registration_keeps_the_handler_that_replaced_it()
    {
        var registry = new OcppHandlerRegistry();
        IDisposable first = registry.Handle("A", _ => Reply("""{"n":1}"""));
        registry.Handle("A", _ => Reply("""{"n":2}"""));
        first.Dispose();
        registry.IsEmpty.Should().BeFalse();

        IDisposable wildcard = registry.HandleAny(_ => Reply("{}"));
        IDisposable oldWildcard = wildcard;
        registry.HandleAny(_ => Reply("{}")).Should().NotBeSameAs(oldWildcard);
        oldWildcard.Dispose();
        registry.Unregister(null, "A").Should().BeTrue();
        registry.IsEmpty.Should().BeFalse("the newer wildcard is still registered");
    }

    [Fact]
    public void Disposing_the_current_wildcard_clears_it()
    {
        var registry = new OcppHandlerRegistry();
        IDisposable wildcard = registry.HandleAny(_ => Reply("{}"));
        wildcard.Dispose();
        registry.IsEmpty.Should().BeTrue();
    }
}

using System.Net;
using Ocpp.Rpc.Client;
using Ocpp.Rpc.Clustering;
using Ocpp.Rpc.Tests.Support;

namespace Ocpp.Rpc.Tests;

// OcppException is the root of what the library throws, and IsTransient tells a retry policy what to retry.
public class ExceptionRootTests
{
    [Fact]
    public void Every_library_exception_is_an_OcppException_with_the_documented_IsTransient()
    {
        var uri = new Uri("ws://localhost/ocpp/CP");
        var cases = new (OcppException Exception, bool Transient)[]
        {
            (new OcppFormatViolationException("bad"), false),
            (new OcppSecurityErrorException(), false),
            (new OcppInternalErrorException(), true),
            (new OcppConnectionClosedException("closed"), true),
            (new OcppCallTimeoutException("Reset", "1", TimeSpan.FromSeconds(1)), true),
            (new OcppCallQueueFullException(10), true),
            (new OcppStationNotConnectedException("CP"), true),
            (new OcppClusterUnavailableException("redis down"), true),
            (new OcppConnectException(OcppConnectFailure.Network, uri, "refused"), true),
            (new OcppConnectException(OcppConnectFailure.Timeout, uri, "slow"), true),
            (new OcppConnectException(OcppConnectFailure.Rejected, uri, "full", HttpStatusCode.ServiceUnavailable), true),
            (new OcppConnectException(OcppConnectFailure.Rejected, uri, "who", HttpStatusCode.Unauthorized), false),
            (new OcppConnectException(OcppConnectFailure.Tls, uri, "tls"), false),
            (new OcppConnectException(OcppConnectFailure.NoSubprotocol, uri, "none"), false),
        };

        foreach ((OcppException exception, bool transient) in cases)
        {
            exception.IsTransient.Should().Be(transient, exception.GetType().Name + ": " + exception.Message);
        }
    }

    [Fact]
    public async Task A_call_on_a_closed_connection_and_a_CALLERROR_are_caught_as_OcppException()
    {
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp16);
        Task<System.Text.Json.JsonElement> call = peer.Connection.CallAsync("Reset", OcppPayload.FromJson("""{"type":"Soft"}"""));
        System.Text.Json.JsonElement sent = await peer.ReceiveJsonAsync();
        await peer.SendAsync($$"""[4,"{{sent[1].GetString()}}","NotSupported","no",{}]""");
        OcppException error = (await FluentActions.Awaiting(() => call).Should().ThrowAsync<OcppException>()).Which;
        error.Should().BeOfType<OcppNotSupportedException>();
        error.IsTransient.Should().BeFalse();

        await peer.Connection.CloseAsync(new OcppCloseOptions { Force = true });
        OcppException closed = (await FluentActions.Awaiting(() => peer.Connection.CallAsync("Reset")).Should().ThrowAsync<OcppException>()).Which;
        closed.Should().BeOfType<OcppConnectionClosedException>();
        closed.IsTransient.Should().BeTrue();
    }
}

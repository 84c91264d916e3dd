using System.Text.Json;
using Ocpp.Rpc.Client.Tests.Support;
using Ocpp.Rpc.Transport;

namespace Ocpp.Rpc.Client.Tests;

/// <summary>Calls in both directions through a connected client, and the client's own life cycle.</summary>
public sealed class CallTests
{
    [Fact]
    public async Task Raw_and_typed_calls_reach_the_server_and_return_its_results()
    {
        await using TestCsms csms = await TestCsms.StartAsync();
        csms.Handlers.Handle("Heartbeat", _ => new(OcppPayload.FromJson("""{"currentTime":"2025-01-02T03:04:05Z"}""")));
        csms.Handlers.Handle("Echo", context => new(OcppPayload.FromElement(context.PayloadElement)));
        await using var client = new OcppClient(Clients.For(csms.Endpoint));
        await client.ConnectAsync();

        JsonElement echo = await client.CallAsync("Echo", OcppPayload.FromJson("""{"n":7}""")).Within();
        HeartbeatResponse heartbeat = await client.CallAsync(new HeartbeatRequest()).Within();

        echo.GetProperty("n").GetInt32().Should().Be(7);
        heartbeat.CurrentTime.Should().Be(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
    }

    [Fact]
    public async Task A_callerror_from_the_server_surfaces_as_an_rpc_exception()
    {
        await using TestCsms csms = await TestCsms.StartAsync();
        csms.Handlers.Handle("Authorize", _ => throw new OcppRpcException(OcppErrorCode.SecurityError, "nope"));
        await using var client = new OcppClient(Clients.For(csms.Endpoint));
        await client.ConnectAsync();

        OcppRpcException error = (await FluentActions.Awaiting(() => client.CallAsync("Authorize")).Should().ThrowAsync<OcppRpcException>()).Which;

        error.Code.Should().Be(OcppErrorCode.SecurityError);
        await FluentActions.Awaiting(() => client.CallAsync("Unknown")).Should().ThrowAsync<OcppRpcException>();
    }

    [Fact]
    public async Task The_server_calls_handlers_registered_on_the_client()
    {
        await using TestCsms csms = await TestCsms.StartAsync();
        await using var client = new OcppClient(Clients.For(csms.Endpoint));
        client.Handle("GetConfiguration", context => new(OcppPayload.FromJson($$"""{"configurationKey":[],"unknownKey":["{{context.Identity}}"]}""")));
        await client.ConnectAsync();
        Session session = await csms.NextSessionAsync();

        JsonElement result = await session.Connection.CallAsync("GetConfiguration").Within();

        result.GetProperty("unknownKey")[0].GetString().Should().Be("CP-1");
    }

    [Fact]
    public async Task Send_goes_out_on_ocpp_2_1()
    {
        await using TestCsms csms = await TestCsms.StartAsync();
        var received = new TaskCompletionSource<string>();
        csms.Handlers.Handle("NotifyPeriodicEventStream", context =>
        {
            received.TrySetResult(context.PayloadElement.GetRawText());
            return new(OcppReply.NoReply);
        });
        await using var client = new OcppClient(Clients.For(csms.Endpoint, "CP-21", OcppProtocols.Ocpp21));
        await client.ConnectAsync();

        await client.SendAsync(new PeriodicEvent { Id = 5 }).Within();

        (await received.Task.Within()).Should().Be("""{"id":5}""");
    }

    [Fact]
    public async Task Calls_before_connecting_or_after_closing_fail_as_closed()
    {
        await using TestCsms csms = await TestCsms.StartAsync();
        await using var client = new OcppClient(Clients.For(csms.Endpoint));

        await FluentActions.Awaiting(() => client.CallAsync("Heartbeat")).Should().ThrowAsync<OcppConnectionClosedException>();
        await client.ConnectAsync();
        await client.CloseAsync();
        await FluentActions.Awaiting(() => client.CallAsync("Heartbeat")).Should().ThrowAsync<OcppConnectionClosedException>();
    }

    [Fact]
    public async Task Close_is_normal_final_and_the_client_can_connect_again()
    {
        await using TestCsms csms = await TestCsms.StartAsync();
        await using var client = new OcppClient(Clients.For(csms.Endpoint));
        var events = new ClientEvents(client);
        await client.ConnectAsync();
        Session first = await csms.NextSessionAsync();

        await client.CloseAsync(new OcppCloseOptions { Reason = "bye" }).Within();

        OcppClosedEventArgs serverSide = await first.Connection.Completion.Within();
        serverSide.Code.Should().Be(OcppCloseCodes.Normal);
        serverSide.Reason.Should().Be("bye");
        client.State.Should().Be(OcppClientState.Closed);
        client.Connection.Should().BeNull();
        await Task.Delay(200);
        events.All.Should().NotContain(e => e.StartsWith("Reconnecting", StringComparison.Ordinal));

        await client.ConnectAsync();
        (await csms.NextSessionAsync()).Handshake.Identity.Should().Be("CP-1");
        client.State.Should().Be(OcppClientState.Open);
    }

    [Fact]
    public async Task Connect_twice_is_refused()
    {
        await using TestCsms csms = await TestCsms.StartAsync();
        await using var client = new OcppClient(Clients.For(csms.Endpoint));
        await client.ConnectAsync();

        await FluentActions.Awaiting(() => client.ConnectAsync()).Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task Dispose_closes_with_going_away_and_forbids_reuse()
    {
        await using TestCsms csms = await TestCsms.StartAsync();
        var client = new OcppClient(Clients.For(csms.Endpoint));
        await client.ConnectAsync();
        Session session = await csms.NextSessionAsync();

        await client.DisposeAsync();

        (await session.Connection.Completion.Within()).Code.Should().Be(OcppCloseCodes.GoingAway);
        await FluentActions.Awaiting(() => client.ConnectAsync()).Should().ThrowAsync<ObjectDisposedException>();
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Ocpp.Rpc.Reliability.Tests.Support;

namespace Ocpp.Rpc.Reliability.Tests;

// Acceptance (d): fallback across three endpoints where the first two refuse or are down.
public sealed class EndpointFallbackTests
{
    [Fact]
    public async Task The_first_connect_falls_back_past_a_refusing_and_a_dead_endpoint()
    {
        await using Csms refusing = await Csms.StartAsync(options: new OcppServerOptions { Authenticate = (_, _) => ValueTask.FromResult(OcppAuthResult.UnknownIdentity()) });
        Uri dead = DeadEndpoint();
        await using Csms good = await Csms.StartAsync();
        await using var client = new OcppClient(Options("CP-F1", [refusing.Endpoint, dead, good.Endpoint]));
        var changes = new ConcurrentQueue<OcppClientEndpointChangedEventArgs>();
        client.EndpointChanged += (_, e) => changes.Enqueue(e);

        await client.ConnectAsync();

        client.ActiveEndpointIndex.Should().Be(2);
        client.Uri.Should().Be(new Uri(good.Endpoint + "/CP-F1"));
        changes.Select(c => c.Index).Should().Equal(1, 2);
        changes.Should().OnlyContain(c => !c.Requested);
        (await client.CallAsync("StartTransaction", Stations.Seq(1))).GetProperty("seq").GetInt32().Should().Be(1);
        good.Seqs().Should().Equal(1);
        refusing.Seen.Should().BeEmpty();
    }

    [Fact]
    public async Task All_endpoints_failing_at_the_first_connect_throws_the_last_failure()
    {
        await using var client = new OcppClient(Options("CP-F2", [DeadEndpoint(), DeadEndpoint()]));

        (await FluentActions.Awaiting(() => client.ConnectAsync()).Should().ThrowAsync<OcppConnectException>()).Which.Failure.Should().Be(OcppConnectFailure.Network);
        client.State.Should().Be(OcppClientState.Closed);
    }

    [Fact]
    public async Task Reconnects_move_on_after_the_configured_attempts_keep_the_queue_and_return_when_told()
    {
        await using Csms primary = await Csms.StartAsync();
        Uri dead = DeadEndpoint();
        await using Csms backup = await Csms.StartAsync();
        await using var client = new OcppClient(Options("CP-F3", [primary.Endpoint, dead, backup.Endpoint]));
        var attemptsBefore = new ConcurrentQueue<(int Index, int Attempt)>();
        client.Reconnecting += (_, e) => attemptsBefore.Enqueue((client.ActiveEndpointIndex, e.Attempt));
        await client.ConnectAsync();
        await (await client.EnqueueAsync("StartTransaction", Stations.Seq(0))).Completion.WaitAsync(TimeSpan.FromSeconds(30));

        await primary.StopAsync();
        var handles = new List<OcppMessageHandle>();
        for (int i = 1; i <= 10; i++)
        {
            handles.Add(await client.EnqueueAsync("MeterValues", Stations.Seq(i)));
        }

        await Task.WhenAll(handles.Select(h => h.Completion)).WaitAsync(TimeSpan.FromSeconds(30));
        client.ActiveEndpointIndex.Should().Be(2);
        backup.Seqs().Should().Equal(Enumerable.Range(1, 10));
        attemptsBefore.Select(a => a.Index).Should().Equal(0, 0, 1, 1, 2);

        // The primary is back: told to return, the client switches at once and the queue goes on there.
        await primary.StartAsync();
        await client.SwitchEndpointAsync(0);
        OcppMessageHandle after = await client.EnqueueAsync("StopTransaction", Stations.Seq(11));
        (await after.Completion.WaitAsync(TimeSpan.FromSeconds(30))).IsAnswered.Should().BeTrue();
        client.ActiveEndpointIndex.Should().Be(0);
        primary.Seqs().Should().Equal(0, 11);
        backup.Seqs().Should().Equal(Enumerable.Range(1, 10));
    }

    [Fact]
    public async Task An_endpoint_replaced_at_runtime_is_used_without_losing_queued_messages()
    {
        await using Csms old = await Csms.StartAsync();
        await using Csms replacement = await Csms.StartAsync(options: new OcppServerOptions
        {
            SecurityProfile = OcppSecurityProfile.BasicAuth,
            Authenticate = (handshake, _) => ValueTask.FromResult(handshake.HasPassword && handshake.Password.Span.SequenceEqual("0123456789abcdef"u8) ? OcppAuthResult.Accept() : OcppAuthResult.Reject()),
        });
        await using var client = new OcppClient(Options("CP-F4", [old.Endpoint]));
        await client.ConnectAsync();

        // Offline messages wait while the station is told to use another CSMS with other credentials (SetNetworkProfile).
        await old.StopAsync();
        var handles = new List<OcppMessageHandle>();
        for (int i = 0; i < 5; i++)
        {
            handles.Add(await client.EnqueueAsync("TransactionEvent", Stations.Seq(i)));
        }

        client.SetEndpoint(0, new OcppEndpoint { Url = replacement.Endpoint, SecurityProfile = 1 }.WithPassword("0123456789abcdef"));
        await client.SwitchEndpointAsync(0);

        await Task.WhenAll(handles.Select(h => h.Completion)).WaitAsync(TimeSpan.FromSeconds(30));
        replacement.Seqs().Should().Equal(0, 1, 2, 3, 4);
        client.Endpoints.Single().Url.Should().Be(replacement.Endpoint);
    }

    [Fact]
    public void An_endpoint_that_does_not_match_its_security_profile_is_refused()
    {
        Action create = () => _ = new OcppClient(new OcppClientOptions
        {
            Identity = "CP-F5",
            Endpoints = [new OcppEndpoint { Url = new Uri("ws://127.0.0.1:1/ocpp"), SecurityProfile = 2 }],
        });

        create.Should().Throw<ArgumentException>().WithMessage("*profile 2*wss://*");
    }

    private static OcppClientOptions Options(string identity, Uri[] endpoints) =>
        Stations.Options(endpoints[0], identity, null) with
        {
            Endpoint = null,
            Endpoints = [.. endpoints.Select(u => new OcppEndpoint { Url = u })],
            EndpointAttempts = 2,
        };

    private static Uri DeadEndpoint()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"ws://127.0.0.1:{port}/ocpp");
    }
}

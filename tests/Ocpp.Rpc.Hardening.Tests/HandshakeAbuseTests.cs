using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Client;
using Ocpp.Rpc.Hardening.Tests.Support;
using Xunit.Abstractions;

namespace Ocpp.Rpc.Hardening.Tests;

/// <summary>
/// Item 2: abusive handshakes against a real <see cref="OcppServer"/>, all at once, while a well-behaved station
/// keeps connecting and calling. Each abuse gets its HTTP status or is dropped by the handshake timeout; afterwards
/// the server holds no connection and every one of its <see cref="OcppServerOptions.MaxConnections"/> slots is free.
/// </summary>
public sealed class HandshakeAbuseTests(ITestOutputHelper output)
{
    private const string Password = "0123456789abcdef-good";
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(1);

    // Kestrel checks its timeouts once a second: a drop comes between the timeout and about 1 s after it. The upper
    // bound leaves room for a loaded machine; without the timeout these connections would stay open for the
    // whole trickle (tens of seconds) or forever.
    private static readonly TimeSpan DropWithin = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task Abusive_handshakes_get_their_status_or_are_dropped_while_a_good_station_connects_and_calls()
    {
        using var watch = new ProcessWatch();
        const int maxConnections = 40;
        var options = OcppServerOptions.Default with
        {
            SecurityProfile = OcppSecurityProfile.BasicAuth,
            Authenticate = (h, _) => new ValueTask<OcppAuthResult>(h.PasswordEquals(Password) ? OcppAuthResult.Accept() : OcppAuthResult.Reject()),
            HandshakeTimeout = HandshakeTimeout,
            MaxConnections = maxConnections,
            KeepAliveInterval = TimeSpan.Zero,
            Connection = OcppConnectionOptions.Default with { LoggerFactory = watch.LoggerFactory },
        };
        await using OcppServer server = await Servers.StartAsync(options, setup: s => s.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppReply.Empty)));
        int port = server.Port!.Value;
        string auth = RawHttp.Authorization("CP-1", Password);

        // The well-behaved station: connect, call, close, again, for as long as the abuse lasts.
        using var stopGood = new CancellationTokenSource();
        int goodRounds = 0;
        var goodFailures = new ConcurrentQueue<Exception>();
        Task good = Task.Run(async () =>
        {
            while (!stopGood.IsCancellationRequested)
            {
                try
                {
                    OcppClientOptions goodOptions = Servers.Client(server.Endpoint(), "GOOD-1") with { Reconnect = OcppReconnectOptions.Disabled };
                    await using var client = new OcppClient(goodOptions.WithPassword(Password));
                    await client.ConnectAsync();
                    await client.CallAsync("Heartbeat");
                    await client.CloseAsync();
                    Interlocked.Increment(ref goodRounds);
                }
                catch (Exception ex)
                {
                    goodFailures.Enqueue(ex);
                }

                await Task.Delay(20);
            }
        });

        // Requests answered with a status: (description, request, expected status).
        var answered = new List<(string What, string Request, int Status)>();
        string[] brokenEncodings =
        [
            "%", "%4", "CP%", "CP%2", "%G1", "%zz", "%%41", "%u0041", "%C3%28", "%C0%AF", "%E2%82", "%ED%A0%80",
            "%F4%90%80%80", "%FF", "%00", "%0A", "%2F", "%25", "CP%20A", "%E2%80%AE", "%EF%BB%BF" + "CP",
        ];
        foreach (string encoded in brokenEncodings)
        {
            answered.Add(($"identity {encoded}", RawHttp.Upgrade("/ocpp/" + encoded, extraHeaders: auth), 400));
        }

        answered.Add(("identity of 49 characters", RawHttp.Upgrade("/ocpp/" + new string('A', 49), extraHeaders: auth), 400));
        answered.Add(("identity of 4000 characters", RawHttp.Upgrade("/ocpp/" + new string('A', 4000), extraHeaders: auth), 400));
        answered.Add(("identity of 1000 percent-encoded characters", RawHttp.Upgrade("/ocpp/" + string.Concat(Enumerable.Repeat("%41", 1000)), extraHeaders: auth), 400));
        answered.Add(("request line over Kestrel's 8 KiB", RawHttp.Upgrade("/ocpp/" + new string('A', 20_000), extraHeaders: auth), 414));
        answered.Add(("one 40 KiB header", RawHttp.Upgrade("/ocpp/CP-1", extraHeaders: auth + "X-Big: " + new string('x', 40 * 1024) + "\r\n"), 431));
        answered.Add(("150 headers", RawHttp.Upgrade("/ocpp/CP-1", extraHeaders: auth + string.Concat(Enumerable.Range(0, 150).Select(i => $"X-H{i}: v\r\n"))), 431));
        string[] badAuthorizations =
        [
            string.Empty,
            "Authorization: Basic\r\n",
            "Authorization: Basic !!!not-base64!!!\r\n",
            "Authorization: Basic " + B64("no-colon-here") + "\r\n",
            "Authorization: Bearer " + B64("CP-1:" + Password) + "\r\n",
            "Authorization: Basic " + B64("OTHER:" + Password) + "\r\n",
            "Authorization: Basic " + B64("CP-1:wrong-password") + "\r\n",
            "Authorization: Basic " + B64("CP-1:") + "\r\n",
            "Authorization: Basic " + B64(":" + Password) + "\r\n",
            "Authorization: Basic " + Convert.ToBase64String([0xC3, 0x28, (byte)':', .. Encoding.UTF8.GetBytes(Password)]) + "\r\n",
            "Authorization: Basic " + new string('A', 6000) + "\r\n",
            "Authorization: Basic " + B64("CP-1:" + Password) + "\r\nAuthorization: Basic " + B64("CP-1:" + Password) + "\r\n",
        ];
        foreach (string header in badAuthorizations)
        {
            answered.Add(($"authorization '{(header.Length > 60 ? header[..60] + "..." : header.TrimEnd())}'", RawHttp.Upgrade("/ocpp/CP-1", extraHeaders: header), 401));
        }

        Task<(string What, int Expected, RawHttpResponse Response)>[] statusTasks =
            [.. answered.Select(async a => (a.What, a.Status, await RawHttp.SendAsync(port, a.Request)))];

        // Connections the handshake timeout must drop: headers trickled byte by byte, abandoned ones.
        byte[] full = Encoding.ASCII.GetBytes(RawHttp.Upgrade("/ocpp/CP-1", extraHeaders: auth));
        var dropped = new List<(string What, Task<(TimeSpan After, string Answer)?> Drop)>();
        for (int i = 0; i < 3; i++)
        {
            dropped.Add(("slow-loris", RawHttp.TrickleUntilDroppedAsync(port, full, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(20))));
            dropped.Add(("abandoned (nothing sent)", RawHttp.TrickleUntilDroppedAsync(port, [], TimeSpan.Zero, TimeSpan.FromSeconds(20))));
            dropped.Add(("abandoned after half the headers", RawHttp.TrickleUntilDroppedAsync(port, full[..(full.Length / 2)], TimeSpan.Zero, TimeSpan.FromSeconds(20))));
        }

        foreach ((string what, int expected, RawHttpResponse response) in await Task.WhenAll(statusTasks).Within(TimeSpan.FromSeconds(30), "every abusive request is answered"))
        {
            output.WriteLine($"{response.Status} for {what}");
            response.Status.Should().Be(expected, what);
            if (expected == 401)
            {
                response.Headers.Should().ContainKey("WWW-Authenticate", what).WhoseValue.Should().StartWith("Basic", what);
            }
        }

        foreach ((string what, Task<(TimeSpan After, string Answer)?> drop) in dropped)
        {
            (TimeSpan After, string Answer)? result = await drop;
            result.Should().NotBeNull($"{what} is dropped by the handshake timeout");
            output.WriteLine($"{what}: dropped after {result!.Value.After.TotalMilliseconds:0} ms, answer '{result.Value.Answer.Split("\r\n")[0]}'");
            result.Value.After.Should().BeLessThan(DropWithin, what);
            result.Value.Answer.Should().NotContain(" 101 ", $"{what} never gets upgraded");
        }

        await stopGood.CancelAsync();
        await good.Within(TimeSpan.FromSeconds(30), "the good station's loop ends");
        output.WriteLine($"good station: {goodRounds} connect+call+close rounds during the abuse");
        goodFailures.Should().BeEmpty("the well-behaved station is served during the abuse");
        goodRounds.Should().BeGreaterThan(2);
        await Eventually.HoldsAsync(() => server.ConnectionCount == 0, "no connection is left over");

        // Nothing the abuse did holds a slot: exactly MaxConnections stations connect, one more gets 503.
        await AssertAllSlotsFreeAsync(server, maxConnections, auth: s => RawHttp.Authorization(s, Password));
        watch.AssertClean();
    }

    [Theory]
    [InlineData("ocpp9.9")]
    [InlineData("ocpp9.9, ocpp0.1")]
    [InlineData(null)]
    public async Task Profile_1_authenticates_before_the_no_agreeable_subprotocol_rule(string? offered)
    {
        using var watch = new ProcessWatch();
        var options = OcppServerOptions.Default with
        {
            SecurityProfile = OcppSecurityProfile.BasicAuth,
            Authenticate = (h, _) => new ValueTask<OcppAuthResult>(h.PasswordEquals(Password) ? OcppAuthResult.Accept() : OcppAuthResult.Reject()),
            Connection = OcppConnectionOptions.Default with { LoggerFactory = watch.LoggerFactory },
        };
        await using OcppServer server = await Servers.StartAsync(options);
        int port = server.Port!.Value;

        RawHttpResponse anonymous = await RawHttp.SendAsync(port, RawHttp.Upgrade("/ocpp/CP-1", offered));
        RawHttpResponse wrong = await RawHttp.SendAsync(port, RawHttp.Upgrade("/ocpp/CP-1", offered, RawHttp.Authorization("CP-1", "wrong-password-000")));
        RawHttpResponse otherUser = await RawHttp.SendAsync(port, RawHttp.Upgrade("/ocpp/CP-1", offered, RawHttp.Authorization("CP-2", Password)));
        RawHttpResponse good = await RawHttp.SendAsync(port, RawHttp.Upgrade("/ocpp/CP-1", offered, RawHttp.Authorization("CP-1", Password)));

        anonymous.Status.Should().Be(401, "no upgrade before authentication, whatever subprotocol is offered");
        anonymous.Headers.Should().ContainKey("WWW-Authenticate");
        wrong.Status.Should().Be(401);
        otherUser.Status.Should().Be(401);
        good.Status.Should().Be(101, "an authenticated station with no agreeable subprotocol gets the handshake, then a close");
        good.Headers.Should().NotContainKey("Sec-WebSocket-Protocol");
        watch.AssertClean();
    }

    [Fact]
    public async Task Connection_flood_beyond_the_limit_gets_503_and_the_limit_frees_up_again()
    {
        using var watch = new ProcessWatch();
        const int maxConnections = 30;
        var options = OcppServerOptions.Default with
        {
            MaxConnections = maxConnections,
            KeepAliveInterval = TimeSpan.Zero,
            Connection = OcppConnectionOptions.Default with { LoggerFactory = watch.LoggerFactory },
        };
        await using OcppServer server = await Servers.StartAsync(options, setup: s => s.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppReply.Empty)));
        int port = server.Port!.Value;
        await using Bystander bystander = await Bystander.StartAsync(server.Endpoint());
        for (int round = 0; round < 3; round++)
        {
            // The bystander holds one slot; the flood takes the rest, and the excess is refused.
            RawWebSocket[] flood = await Task.WhenAll(Enumerable.Range(0, maxConnections - 1).Select(i => RawWebSocket.ConnectAsync(port, $"/ocpp/FLOOD-{i}", OcppProtocols.Ocpp16)))
                .Within(TimeSpan.FromSeconds(30), "the flood connects");
            await Eventually.HoldsAsync(() => server.ConnectionCount == maxConnections, "the server holds the bystander and the flood");
            RawHttpResponse[] excess = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => RawHttp.SendAsync(port, RawHttp.Upgrade($"/ocpp/EXCESS-{i}"))))
                .Within(TimeSpan.FromSeconds(30), "the excess is answered");
            excess.Select(r => r.Status).Should().AllBeEquivalentTo(503, "beyond MaxConnections the server answers 503");
            int servedBefore = bystander.Ok;
            await Eventually.HoldsAsync(() => bystander.Ok >= servedBefore + 3, "the connected station is served while the flood holds every other slot");

            // Half leave with a TCP reset, half with a close handshake: either way their slots come back.
            for (int i = 0; i < flood.Length; i++)
            {
                if (i % 2 == 0)
                {
                    flood[i].Reset();
                }
                else
                {
                    await flood[i].CloseAsync();
                    await flood[i].DisposeAsync();
                }
            }

            await Eventually.HoldsAsync(() => server.ConnectionCount == 1, "the flood's connections are gone");
        }

        await bystander.StopAsync();
        bystander.Failures.Should().BeEmpty("the connected station is served during the flood");
        await bystander.DisposeAsync();
        await Eventually.HoldsAsync(() => server.ConnectionCount == 0, "every connection is gone");
        await AssertAllSlotsFreeAsync(server, maxConnections, auth: null);
        watch.AssertClean();
    }

    [Fact]
    public async Task Tls_connections_that_never_finish_the_tls_handshake_are_dropped()
    {
        using var watch = new ProcessWatch();
        using X509Certificate2 certificate = SelfSigned();
        var options = OcppServerOptions.Default with
        {
            SecurityProfile = OcppSecurityProfile.TlsWithBasicAuth,
            Tls = new OcppTlsOptions { ServerCertificate = certificate },
            Authenticate = (h, _) => new ValueTask<OcppAuthResult>(h.PasswordEquals(Password) ? OcppAuthResult.Accept() : OcppAuthResult.Reject()),
            HandshakeTimeout = HandshakeTimeout,
            Connection = OcppConnectionOptions.Default with { LoggerFactory = watch.LoggerFactory },
        };
        await using OcppServer server = await Servers.StartAsync(options, setup: s => s.Handle("Heartbeat", _ => new ValueTask<OcppReply>(OcppReply.Empty)));
        int port = server.Port!.Value;

        // A TLS record header announcing a 512-byte ClientHello whose body never comes.
        byte[] partialHello = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03];
        var drops = new List<(string What, Task<(TimeSpan After, string Answer)?> Drop)>();
        for (int i = 0; i < 3; i++)
        {
            drops.Add(("no ClientHello", RawHttp.TrickleUntilDroppedAsync(port, [], TimeSpan.Zero, TimeSpan.FromSeconds(20))));
            drops.Add(("half a ClientHello", RawHttp.TrickleUntilDroppedAsync(port, partialHello, TimeSpan.Zero, TimeSpan.FromSeconds(20))));
            drops.Add(("ClientHello trickled byte by byte", RawHttp.TrickleUntilDroppedAsync(port, [.. partialHello, .. new byte[300]], TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(20))));
        }

        // Meanwhile a real station completes TLS, authenticates and calls.
        var station = Servers.Client(server.Endpoint("wss"), "CP-TLS") with
        {
            Reconnect = OcppReconnectOptions.Disabled,
            Tls = OcppClientTlsOptions.Default with { RemoteCertificateValidation = (_, c, _, _) => c is not null && c.GetCertHashString() == certificate.GetCertHashString() },
        };
        await using (var client = new OcppClient(station.WithPassword(Password)))
        {
            await client.ConnectAsync();
            await client.CallAsync("Heartbeat");
            await client.CloseAsync();
        }

        foreach ((string what, Task<(TimeSpan After, string Answer)?> drop) in drops)
        {
            (TimeSpan After, string Answer)? result = await drop;
            result.Should().NotBeNull($"{what} is dropped by the TLS handshake timeout");
            output.WriteLine($"{what}: dropped after {result!.Value.After.TotalMilliseconds:0} ms");
            result.Value.After.Should().BeLessThan(DropWithin, what);
        }

        server.ConnectionCount.Should().Be(0);
        watch.AssertClean();
    }

    // Connects exactly maxConnections raw WebSockets (all must be accepted), checks one more gets 503, then closes them.
    private static async Task AssertAllSlotsFreeAsync(OcppServer server, int maxConnections, Func<string, string>? auth)
    {
        int port = server.Port!.Value;
        RawWebSocket[] all = await Task.WhenAll(Enumerable.Range(0, maxConnections).Select(i => RawWebSocket.ConnectAsync(port, $"/ocpp/SLOT-{i}", OcppProtocols.Ocpp16, auth?.Invoke($"SLOT-{i}"))))
            .Within(TimeSpan.FromSeconds(30), "every slot accepts a station");
        try
        {
            await Eventually.HoldsAsync(() => server.ConnectionCount == maxConnections, "all slots are in use");
            (await RawHttp.SendAsync(port, RawHttp.Upgrade("/ocpp/ONE-MORE", extraHeaders: auth?.Invoke("ONE-MORE")))).Status.Should().Be(503);
        }
        finally
        {
            foreach (RawWebSocket ws in all)
            {
                await ws.CloseAsync();
                await ws.DisposeAsync();
            }
        }

        await Eventually.HoldsAsync(() => server.ConnectionCount == 0, "the slots are released");
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using X509Certificate2 created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }
}

using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Client;
using Ocpp.Rpc.Samples.ChargePoint;
using Ocpp.Rpc.Samples.Csms;

namespace Ocpp.Rpc.Samples.Tests;

public sealed class SecurityProfileTests
{
    private const string Password = "correct-horse-battery-staple";
    private const string PasswordA = "secret-of-station-A-0001";
    private const string PasswordB = "secret-of-station-B-0002";

    [Fact]
    public async Task Profile_1_admits_each_station_with_its_own_password_only_and_an_impostor_evicts_nobody()
    {
        string passwordFile = WritePasswordFile(("CP-A", PasswordA), ("CP-B", PasswordB), ("CP-RIGHT-PW", Password), ("CP-WRONG-PW", "the-real-secret-of-CP-WRONG-PW"));
        try
        {
            await using CsmsApp csms = await CsmsApp.StartAsync(CsmsOptions.Default with { Port = 0, Profile = OcppSecurityProfile.BasicAuth, PasswordFile = passwordFile, HeartbeatInterval = 1 });
            var endpoint = new Uri($"ws://127.0.0.1:{csms.Port}/ocpp");
            var disconnected = new List<string>();
            csms.Server.StationDisconnected += (_, e) => { lock (disconnected) { disconnected.Add(e.Connection.Identity); } };

            await using OcppClient stationA = Station(endpoint, "CP-A", PasswordA);
            await stationA.ConnectAsync();
            OcppConnection connectionA = csms.Server.GetConnection("CP-A");

            // CP-B's own, valid password does not make it CP-A: not as username CP-A, nor as username CP-B.
            await using (OcppClient impostor = Station(endpoint, "CP-A", PasswordB))
            {
                (await FluentActions.Awaiting(() => impostor.ConnectAsync()).Should().ThrowAsync<OcppConnectException>()).Which.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            }

            (await RawHandshakeStatusAsync(endpoint, "CP-A", username: "CP-B", PasswordB)).Should().Be(HttpStatusCode.Unauthorized);

            // An unknown identity is refused the same way (401, not 404: which identities exist is not revealed).
            await using (OcppClient stranger = Station(endpoint, "CP-NOBODY", PasswordA))
            {
                (await FluentActions.Awaiting(() => stranger.ConnectAsync()).Should().ThrowAsync<OcppConnectException>()).Which.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            }

            // CP-A was never replaced: the same connection serves it.
            csms.Server.GetConnection("CP-A").Should().BeSameAs(connectionA);
            stationA.State.Should().Be(OcppClientState.Open);
            (await stationA.CallAsync("Heartbeat", OcppPayload.FromJson("{}"))).GetProperty("currentTime").GetString().Should().NotBeNullOrEmpty();
            csms.State.GetStation("CP-A")!.Connection.Should().BeSameAs(connectionA);

            // CP-B with its own password gets in.
            await using OcppClient stationB = Station(endpoint, "CP-B", PasswordB);
            await stationB.ConnectAsync();
            csms.State.GetStation("CP-B")!.Connected.Should().BeTrue();

            // The simulator keeps retrying and reports why; the station with its right password gets in.
            SimulatorOptions common = SimulatorOptions.Default with { Url = endpoint, Protocol = OcppProtocols.Ocpp201, AutoCharge = false };
            var output = new StringWriter();
            IReadOnlyList<SimulatedStation> stations =
            [
                .. Simulator.CreateStations(common with { Identity = "CP-WRONG-PW", Password = Password }, output),
                .. Simulator.CreateStations(common with { Identity = "CP-RIGHT-PW", Password = Password }, output),
            ];
            await RunUntilAsync(stations, () => stations[1].Stats.BootStatus == "Accepted" && stations[0].Stats.LastError is not null, "the right station to boot, the wrong one to be refused");

            stations[0].Stats.LastError.Should().Be("refused: HTTP 401");
            stations[0].Stats.BootStatus.Should().BeNull();
            csms.State.GetStation("CP-WRONG-PW").Should().BeNull();
            csms.State.GetStation("CP-NOBODY").Should().BeNull();
            csms.State.GetStation("CP-RIGHT-PW")!.BootStatus.Should().Be("Accepted");
            lock (disconnected)
            {
                disconnected.Should().NotContain("CP-A");
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    [Fact]
    public async Task A_malformed_password_file_stops_the_start_with_its_line_number()
    {
        string passwordFile = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(passwordFile, ["# stations", StationCredentials.HashLine("CP-A", Encoding.UTF8.GetBytes(PasswordA), 1_000), "CP-B:plain-text-password"]);

            Func<Task> start = () => CsmsApp.StartAsync(CsmsOptions.Default with { Port = 0, Profile = OcppSecurityProfile.BasicAuth, PasswordFile = passwordFile });

            await start.Should().ThrowAsync<InvalidDataException>().WithMessage("*line 3: the hash of CP-B*");
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    [Fact]
    public async Task Profile_2_serves_wss_with_a_PEM_certificate_that_the_simulator_trusts_through_ca()
    {
        string folder = Directory.CreateTempSubdirectory("ocpp-samples-tls").FullName;
        try
        {
            (string certificatePath, string keyPath) = WriteSelfSignedServerCertificate(folder);
            string passwordFile = Path.Combine(folder, "stations.passwd");
            File.WriteAllText(passwordFile, StationCredentials.HashLine("CP-TLS", Encoding.UTF8.GetBytes(Password), 1_000));
            await using CsmsApp csms = await CsmsApp.StartAsync(CsmsOptions.Default with
            {
                Port = 0,
                Profile = OcppSecurityProfile.TlsWithBasicAuth,
                PasswordFile = passwordFile,
                CertificatePath = certificatePath,
                KeyPath = keyPath,
            });
            SimulatorOptions options = SimulatorOptions.Default with
            {
                Url = new Uri($"wss://localhost:{csms.Port}/ocpp"),
                Identity = "CP-TLS",
                Protocol = OcppProtocols.Ocpp201,
                Password = Password,
                CaPath = certificatePath, // self-signed: the certificate is its own root
                AutoCharge = false,
            };
            IReadOnlyList<SimulatedStation> stations = Simulator.CreateStations(options, TextWriter.Null);
            await RunUntilAsync(stations, () => stations[0].Stats.BootStatus == "Accepted", "the station to boot over TLS");
            csms.State.GetStation("CP-TLS")!.Protocol.Should().Be(OcppProtocols.Ocpp201);
            stations[0].Stats.LastError.Should().BeNull();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Profile_3_accepts_the_station_whose_client_certificate_names_it_and_refuses_the_others()
    {
        string folder = Directory.CreateTempSubdirectory("ocpp-samples-mtls").FullName;
        try
        {
            (string serverCertificatePath, string serverKeyPath) = WriteSelfSignedServerCertificate(folder);
            using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var caRequest = new CertificateRequest("CN=Sample Station CA", caKey, HashAlgorithmName.SHA256);
            caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            using X509Certificate2 ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
            string caPath = Path.Combine(folder, "station-ca.pem");
            File.WriteAllText(caPath, ca.ExportCertificatePem());
            (string goodCert, string goodKey) = WriteStationCertificate(folder, "CP-MTLS", ca, caKey);
            (string otherCert, string otherKey) = WriteStationCertificate(folder, "CP-SOMEONE-ELSE", ca, caKey);

            await using CsmsApp csms = await CsmsApp.StartAsync(CsmsOptions.Default with
            {
                Port = 0,
                Profile = OcppSecurityProfile.MutualTls,
                CertificatePath = serverCertificatePath,
                KeyPath = serverKeyPath,
                CaPath = caPath,
            });
            SimulatorOptions common = SimulatorOptions.Default with
            {
                Url = new Uri($"wss://localhost:{csms.Port}/ocpp"),
                Protocol = OcppProtocols.Ocpp201,
                CaPath = serverCertificatePath,
                AutoCharge = false,
            };
            var output = new StringWriter();
            IReadOnlyList<SimulatedStation> stations =
            [
                .. Simulator.CreateStations(common with { Identity = "CP-MTLS", CertificatePath = goodCert, KeyPath = goodKey }, output),
                .. Simulator.CreateStations(common with { Identity = "CP-IMPOSTOR", CertificatePath = otherCert, KeyPath = otherKey }, output),
                .. Simulator.CreateStations(common with { Identity = "CP-NO-CERT" }, output),
            ];
            await RunUntilAsync(
                stations,
                () => stations[0].Stats.BootStatus == "Accepted" && stations[1].Stats.LastError is not null && stations[2].Stats.LastError is not null,
                "the named station to boot over mutual TLS and the other two to be refused");

            csms.State.GetStation("CP-MTLS")!.BootStatus.Should().Be("Accepted");
            stations[0].Stats.LastError.Should().BeNull();

            // A certificate for another identity passes TLS but not the CN check; no certificate fails the TLS handshake.
            stations[1].Stats.LastError.Should().Be("refused: HTTP 403");
            stations[2].Stats.LastError.Should().StartWith("cannot connect");
            csms.State.GetStation("CP-IMPOSTOR").Should().BeNull();
            csms.State.GetStation("CP-NO-CERT").Should().BeNull();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (string CertificatePath, string KeyPath) WriteStationCertificate(string folder, string commonName, X509Certificate2 ca, ECDsa caKey)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=Sample CPO", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        byte[] serial = RandomNumberGenerator.GetBytes(12);
        using X509Certificate2 signed = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), serial);
        return WritePem(folder, commonName, signed, key);
    }

    private static (string CertificatePath, string KeyPath) WriteSelfSignedServerCertificate(string folder)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return WritePem(folder, "csms", certificate, key);
    }

    private static (string CertificatePath, string KeyPath) WritePem(string folder, string name, X509Certificate2 certificate, ECDsa key)
    {
        string certificatePath = Path.Combine(folder, name + ".pem");
        string keyPath = Path.Combine(folder, name + ".key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    private static OcppClient Station(Uri endpoint, string identity, string password) =>
        new(new OcppClientOptions { Endpoint = endpoint, Identity = identity, Protocols = [OcppProtocols.Ocpp16], Reconnect = OcppReconnectOptions.Disabled }.WithPassword(password));

    // A handshake whose Basic username is not the identity in the URL (OcppClient always sends the identity).
    private static async Task<HttpStatusCode> RawHandshakeStatusAsync(Uri endpoint, string identity, string username, string password)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.AddSubProtocol(OcppProtocols.Ocpp16);
        socket.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await FluentActions.Awaiting(() => socket.ConnectAsync(new Uri($"{endpoint}/{identity}"), timeout.Token)).Should().ThrowAsync<WebSocketException>();
        return socket.HttpStatusCode;
    }

    // A credentials file (cheap hashes: tests need no brute-force resistance).
    private static string WritePasswordFile(params (string Identity, string Password)[] stations)
    {
        string path = Path.GetTempFileName();
        File.WriteAllLines(path, stations.Select(s => StationCredentials.HashLine(s.Identity, Encoding.UTF8.GetBytes(s.Password), iterations: 1_000)));
        return path;
    }

    // Runs the stations until the condition holds (or fails after Eventually's timeout), then stops them.
    private static async Task RunUntilAsync(IReadOnlyList<SimulatedStation> stations, Func<bool> condition, string because)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Task running = Simulator.RunAsync(stations, duration: null, stop.Token);
        await Eventually.TrueAsync(condition, because);
        await stop.CancelAsync();
        await running;
    }
}

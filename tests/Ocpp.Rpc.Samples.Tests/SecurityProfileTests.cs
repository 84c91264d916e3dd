using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Client;
using Ocpp.Rpc.Samples.ChargePoint;
using Ocpp.Rpc.Samples.Csms;

namespace Ocpp.Rpc.Samples.Tests;

public sealed class SecurityProfileTests
{
    private const string Password = "correct-horse-battery-staple";

    [Fact]
    public async Task Profile_1_refuses_a_wrong_password_and_accepts_the_right_one()
    {
        await using CsmsApp csms = await CsmsApp.StartAsync(CsmsOptions.Default with { Port = 0, Profile = OcppSecurityProfile.BasicAuth, Password = Password, HeartbeatInterval = 1 });
        var endpoint = new Uri($"ws://127.0.0.1:{csms.Port}/ocpp");

        // A plain client sees the HTTP status of the refusal.
        await using var intruder = new OcppClient(new OcppClientOptions { Endpoint = endpoint, Identity = "CP-WRONG", Protocols = [OcppProtocols.Ocpp16] }.WithPassword("not-the-password-at-all"));
        Func<Task> connect = () => intruder.ConnectAsync();
        (await connect.Should().ThrowAsync<OcppConnectException>()).Which.StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        // The simulator keeps retrying and reports why; the station with the right password gets in.
        SimulatorOptions common = SimulatorOptions.Default with { Url = endpoint, Protocol = OcppProtocols.Ocpp201, AutoCharge = false };
        var output = new StringWriter();
        IReadOnlyList<SimulatedStation> stations =
        [
            .. Simulator.CreateStations(common with { Identity = "CP-WRONG-PW", Password = "not-the-password-at-all" }, output),
            .. Simulator.CreateStations(common with { Identity = "CP-RIGHT-PW", Password = Password }, output),
        ];
        await RunUntilAsync(stations, () => stations[1].Stats.BootStatus == "Accepted" && stations[0].Stats.LastError is not null, "the right station to boot, the wrong one to be refused");

        stations[0].Stats.LastError.Should().Be("refused: HTTP 401");
        stations[0].Stats.BootStatus.Should().BeNull();
        csms.State.GetStation("CP-WRONG-PW").Should().BeNull();
        csms.State.GetStation("CP-WRONG").Should().BeNull();
        csms.State.GetStation("CP-RIGHT-PW")!.BootStatus.Should().Be("Accepted");
    }

    [Fact]
    public async Task Profile_2_serves_wss_with_a_PEM_certificate_that_the_simulator_trusts_through_ca()
    {
        string folder = Directory.CreateTempSubdirectory("ocpp-samples-tls").FullName;
        try
        {
            (string certificatePath, string keyPath) = WriteSelfSignedServerCertificate(folder);
            await using CsmsApp csms = await CsmsApp.StartAsync(CsmsOptions.Default with
            {
                Port = 0,
                Profile = OcppSecurityProfile.TlsWithBasicAuth,
                Password = Password,
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

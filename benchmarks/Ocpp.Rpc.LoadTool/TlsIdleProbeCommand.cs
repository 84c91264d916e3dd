using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Ocpp.Rpc.LoadTool;

/// <summary>
/// Where an idle TLS connection's memory goes, without Kestrel or OCPP: <c>--connections N</c> loopback pairs in this
/// process (plain TCP, or <see cref="SslStream"/> with an ECDSA certificate), one 300-byte message each way, then a
/// read pending on both ends; prints the working set and GC heap per endpoint. <c>--mode tls-release</c> also sets
/// OpenSSL's <c>SSL_MODE_RELEASE_BUFFERS</c> on each connection through .NET's private fields (Linux, .NET 10; a
/// diagnostic to size what that mode would save, not something the library does).
/// </summary>
internal static partial class TlsIdleProbeCommand
{
    private const int SslCtrlMode = 33;
    private const long SslModeReleaseBuffers = 0x10;

    public static async Task<int> RunAsync(Args args)
    {
        int count = args.Int("connections", 2000);
        string mode = args.String("mode", "tls");
        bool tls = mode is "tls" or "tls-release";
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 ephemeral = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        using X509Certificate2 certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        SslStreamCertificateContext context = SslStreamCertificateContext.Create(certificate, null, offline: true);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var kept = new List<object>();

        async Task PairAsync()
        {
            Task<TcpClient> accepting = listener.AcceptTcpClientAsync();
            var client = new TcpClient();
            await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
            TcpClient server = await accepting;
            Stream serverStream = server.GetStream();
            Stream clientStream = client.GetStream();
            if (tls)
            {
                var serverSsl = new SslStream(serverStream);
                var clientSsl = new SslStream(clientStream);
                await Task.WhenAll(
                    serverSsl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificateContext = context }),
                    clientSsl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", RemoteCertificateValidationCallback = static (_, _, _, _) => true }));
                if (mode == "tls-release")
                {
                    ReleaseBuffers(serverSsl);
                    ReleaseBuffers(clientSsl);
                }

                serverStream = serverSsl;
                clientStream = clientSsl;
            }

            byte[] message = new byte[300];
            byte[] buffer = new byte[4096];
            await clientStream.WriteAsync(message);
            await serverStream.ReadAtLeastAsync(buffer, message.Length);
            await serverStream.WriteAsync(message);
            await clientStream.ReadAtLeastAsync(buffer, message.Length);
            kept.Add(serverStream.ReadAsync(new byte[4096]).AsTask());
            kept.Add(clientStream.ReadAsync(new byte[4096]).AsTask());
            kept.Add(server);
            kept.Add(client);
        }

        for (int i = 0; i < 50; i++)
        {
            await PairAsync();
        }

        (long workingSet, long heap) before = Measure();
        for (int i = 0; i < count; i++)
        {
            await PairAsync();
        }

        (long workingSet, long heap) after = Measure();
        int endpoints = 2 * count;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            probe = "tls-idle",
            mode,
            connections = count,
            workingSetKiBPerEndpoint = Math.Round((after.workingSet - before.workingSet) / 1024.0 / endpoints, 1),
            gcHeapKiBPerEndpoint = Math.Round((after.heap - before.heap) / 1024.0 / endpoints, 1),
        }));
        GC.KeepAlive(kept);
        return 0;
    }

    private static (long WorkingSet, long Heap) Measure()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        return (process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: false));
    }

    /// <summary>Finds the connection's <c>SSL*</c> in SslStream's private state and sets the mode on it.</summary>
    private static void ReleaseBuffers(SslStream ssl)
    {
        FieldInfo field = typeof(SslStream).GetField("_securityContext", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("This runtime's SslStream has no _securityContext field.");
        var securityContext = (SafeHandle)field.GetValue(ssl)!;
        IntPtr handle = IntPtr.Zero;
        foreach (FieldInfo candidate in securityContext.GetType().GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public))
        {
            if (candidate.GetValue(securityContext) is SafeHandle inner && inner.GetType().Name == "SafeSslHandle")
            {
                handle = inner.DangerousGetHandle();
            }
        }

        if (handle == IntPtr.Zero && securityContext.GetType().Name == "SafeSslHandle")
        {
            handle = securityContext.DangerousGetHandle();
        }

        if (handle == IntPtr.Zero || (SslCtrl(handle, SslCtrlMode, SslModeReleaseBuffers, IntPtr.Zero) & SslModeReleaseBuffers) == 0)
        {
            throw new InvalidOperationException("Could not set SSL_MODE_RELEASE_BUFFERS on this runtime.");
        }
    }

    [LibraryImport("libssl.so.3", EntryPoint = "SSL_ctrl")]
    private static partial long SslCtrl(IntPtr ssl, int command, long argument, IntPtr pointer);
}

using System.Runtime.InteropServices;
using Ocpp.Rpc.LoadTool;

// Load tool for whole-system figures (not part of the test run). See benchmarks/README.md.
//   server --port P [--tls-cert PEM --tls-key PEM [--password PW]] [--strict] [--raw] [--inline] [--protocol ocpp1.6] [--report-memory SECONDS] [--call-rate N [--call-rate-reject]] [--logging] [--message-log] [--message-log-file PATH]
//   hosted --port P [--di]     (AddOcppServer + MapOcpp; --di: DI-scoped handler class behind two empty filters)
//   echo   --port P
//   client --url ws://127.0.0.1:P [--clients N] [--window W] [--duration S] [--warmup S] [--light] [--protocol ocpp1.6] [--flood-clients F [--flood-window FW]]
//   idle   --url ws://127.0.0.1:P --clients N [--hold S]
//   queue  [--messages N] [--warmup N] [--recover N] [--flush]   (transaction-message queue: in-memory vs SQLite)
//   cluster-node --port P --redis CONN [--node-id ID] [--key-prefix ocpp:]   (Redis-clustered OcppServer; commands on stdin)
//   tls-cert --out DIR   (RSA 2048 and ECDSA P-256 self-signed PEM certificates)
//   storm --url wss://127.0.0.1:P/ocpp --clients N [--parallel K] [--rounds R] [--password PW] [--hold S]   (reconnect storm)
//   fleet --nodes URL1,URL2,... --stations N [--first K] [--source 127.0.0.2] [--interval S]   (scale run: light stations, re-spread on node loss)
//   station --url ws://127.0.0.1:P --identity ID   (raw station answering every CALL)
//   tls-idle-probe [--connections N] [--mode plain|tls|tls-release]   (memory of idle SslStream pairs, no Kestrel)
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: server|hosted|echo|client|idle|queue|cluster-node|station|tls-cert|storm|fleet|tls-idle-probe [options]  (see benchmarks/README.md)");
    return 2;
}

var options = new Args(args[1..]);
var stop = new CancellationTokenSource(); // never disposed: a signal may arrive at any time

// Kestrel's host swallows SIGTERM/SIGINT (it stops itself, not this program): cancel our token too so we exit.
using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

switch (args[0])
{
    case "server":
        await ServerCommand.RunAsync(options, stop.Token);
        return 0;
    case "hosted":
        await HostedServerCommand.RunAsync(options, stop.Token);
        return 0;
    case "echo":
        await EchoCommand.RunAsync(options, stop.Token);
        return 0;
    case "client":
        return await ClientCommand.RunAsync(options, stop.Token);
    case "idle":
        return await IdleCommand.RunAsync(options, stop.Token);
    case "queue":
        return await QueueCommand.RunAsync(options, stop.Token);
    case "cluster-node":
        await ClusterNodeCommand.RunAsync(options, stop.Token);
        return 0;
    case "tls-cert":
        return TlsCertCommand.Run(options);
    case "storm":
        return await StormCommand.RunAsync(options, stop.Token);
    case "fleet":
        return await FleetCommand.RunAsync(options, stop.Token);
    case "station":
        return await AnsweringStationCommand.RunAsync(options, stop.Token);
    case "tls-idle-probe":
        return await TlsIdleProbeCommand.RunAsync(options);
    default:
        Console.Error.WriteLine($"unknown command {args[0]}");
        return 2;
}

void OnSignal(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

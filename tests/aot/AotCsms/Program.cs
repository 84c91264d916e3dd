// A CSMS published with native AOT: the standalone OcppServer on Kestrel, OCPP 2.0.1 and 1.6, typed handlers, strict
// mode on in both directions. Prints "listening <port> <ms since process start>" when ready, answers until stdin
// closes, then prints how many stations booted, the strict-mode rejections it sent and the transaction messages it got.
using System.Diagnostics;
using System.Net;
using Ocpp.Rpc;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Validation;
using V16 = Ocpp.Rpc.Messages.V16;
using V201 = Ocpp.Rpc.Messages.V201;

int boots = 0, rejected = 0, transactions = 0;
var validator = new OcppSchemaValidator();
validator.Preload();
await using var server = new OcppServer(OcppServerOptions.Default with
{
    Protocols = [OcppProtocols.Ocpp201, OcppProtocols.Ocpp16],
    Connection = OcppConnectionOptions.Default with { Validator = validator },
});

server.Handle<V16.BootNotificationRequest, V16.BootNotificationResponse>((request, call) =>
{
    Interlocked.Increment(ref boots);
    return new V16.BootNotificationResponse { Status = V16.RegistrationStatus.Accepted, Interval = 300, CurrentTime = DateTimeOffset.UtcNow };
});
server.Handle<V16.HeartbeatRequest, V16.HeartbeatResponse>((request, call) => new V16.HeartbeatResponse { CurrentTime = DateTimeOffset.UtcNow });
server.Handle<V201.BootNotificationRequest, V201.BootNotificationResponse>((request, call) =>
{
    Interlocked.Increment(ref boots);
    return new V201.BootNotificationResponse { Status = V201.RegistrationStatusEnumType.Accepted, Interval = 300, CurrentTime = DateTimeOffset.UtcNow };
});
server.Handle<V201.HeartbeatRequest, V201.HeartbeatResponse>((request, call) => new V201.HeartbeatResponse { CurrentTime = DateTimeOffset.UtcNow });
server.Handle<V201.StatusNotificationRequest, V201.StatusNotificationResponse>((request, call) => new V201.StatusNotificationResponse());
server.Handle<V16.StartTransactionRequest, V16.StartTransactionResponse>((request, call) =>
{
    Interlocked.Increment(ref transactions);
    return new V16.StartTransactionResponse { TransactionId = 42, IdTagInfo = new V16.IdTagInfo { Status = V16.AuthorizationStatus.Accepted } };
});
server.Handle<V16.StopTransactionRequest, V16.StopTransactionResponse>((request, call) =>
{
    Interlocked.Increment(ref transactions);
    return new V16.StopTransactionResponse();
});
server.StationConnected += (_, e) => e.Connection.ValidationFailed += (_, _) => Interlocked.Increment(ref rejected);

await server.ListenAsync(0, IPAddress.Loopback);
double ready = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
Console.WriteLine($"listening {server.Port} {ready:F0}");

// Runs until the check closes stdin.
while (await Console.In.ReadLineAsync() is not null)
{
}

Console.WriteLine($"boots {boots} rejected {rejected} transactions {transactions}");
return 0;

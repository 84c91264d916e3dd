// A charge point published with native AOT: OcppClient with the typed records, one OCPP 1.6 and one OCPP 2.0.1
// session against the CSMS at args[0] (ws://127.0.0.1:PORT/ocpp). Each session boots, heartbeats and (2.0.1) sends
// a status, then the station sends one payload the CSMS's strict mode must refuse. A third (1.6) session keeps its
// transaction messages in a SQLite file (Ocpp.Rpc.Sqlite): StartTransaction is enqueued before the station is
// connected, sent once it is, and its result is read back from the reopened file. Exit code 0 when all went as
// expected; prints the milliseconds from process start to the end of each session.
using System.Diagnostics;
using System.Text.Json;
using Ocpp.Rpc;
using Ocpp.Rpc.Client;
using Ocpp.Rpc.Sqlite;
using V16 = Ocpp.Rpc.Messages.V16;
using V201 = Ocpp.Rpc.Messages.V201;

var endpoint = new Uri(args[0]);
double Elapsed() => (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;

await using (var station = new OcppClient(new OcppClientOptions { Endpoint = endpoint, Identity = "AOT-16", Protocols = [OcppProtocols.Ocpp16] }))
{
    await station.ConnectAsync();
    V16.BootNotificationResponse boot = await station.CallAsync(new V16.BootNotificationRequest { ChargePointVendor = "Acme", ChargePointModel = "AOT" });
    await station.CallAsync(new V16.HeartbeatRequest());
    if (boot.Status != V16.RegistrationStatus.Accepted || !await IsRefusedAsync(station, "BootNotification", """{"chargePointModel":"AOT"}"""))
    {
        return Fail("1.6");
    }

    Console.WriteLine($"ocpp1.6 ok {Elapsed():F0}");
}

await using (var station = new OcppClient(new OcppClientOptions { Endpoint = endpoint, Identity = "AOT-201", Protocols = [OcppProtocols.Ocpp201] }))
{
    await station.ConnectAsync();
    V201.BootNotificationResponse boot = await station.CallAsync(new V201.BootNotificationRequest
    {
        Reason = V201.BootReasonEnumType.PowerUp,
        ChargingStation = new V201.ChargingStationType { Model = "AOT", VendorName = "Acme" },
    });
    await station.CallAsync(new V201.HeartbeatRequest());
    await station.CallAsync(new V201.StatusNotificationRequest
    {
        Timestamp = DateTimeOffset.UtcNow,
        ConnectorStatus = V201.ConnectorStatusEnumType.Available,
        EvseId = 1,
        ConnectorId = 1,
    });
    if (boot.Status != V201.RegistrationStatusEnumType.Accepted
        || !await IsRefusedAsync(station, "BootNotification", """{"reason":"Bored","chargingStation":{"model":"AOT","vendorName":"Acme"}}"""))
    {
        return Fail("2.0.1");
    }

    Console.WriteLine($"ocpp2.0.1 ok {Elapsed():F0}");
}

string folder = Directory.CreateTempSubdirectory("aot-queue").FullName;
try
{
    string file = Path.Combine(folder, "queue.db");
    long queued;
    await using (var store = SqliteOcppMessageStore.Open(file))
    await using (var station = new OcppClient(new OcppClientOptions
    {
        Endpoint = endpoint,
        Identity = "AOT-QUEUE",
        Protocols = [OcppProtocols.Ocpp16],
        MessageQueue = new OcppMessageQueueOptions { Store = store },
    }))
    {
        // Enqueued while not connected: it waits in the file, then goes out once the station is connected.
        OcppMessageHandle start = await station.EnqueueAsync(new V16.StartTransactionRequest { ConnectorId = 1, IdTag = "AOT", MeterStart = 0, Timestamp = DateTimeOffset.UtcNow });
        await station.ConnectAsync();
        await station.CallAsync(new V16.BootNotificationRequest { ChargePointVendor = "Acme", ChargePointModel = "AOT" });
        OcppMessageResult result = await start.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        V16.StopTransactionResponse stop = await station.CallAsync(new V16.StopTransactionRequest
        {
            TransactionId = result.GetResponse(V16.StartTransactionRequest.ResponseTypeInfo).TransactionId,
            MeterStop = 10,
            Timestamp = DateTimeOffset.UtcNow,
        });
        if (!result.IsAnswered || stop is null)
        {
            return Fail("queue");
        }

        queued = start.Id;
    }

    await using (var reopened = SqliteOcppMessageStore.Open(file))
    await using (var station = new OcppClient(new OcppClientOptions { Endpoint = endpoint, Identity = "AOT-QUEUE", MessageQueue = new OcppMessageQueueOptions { Store = reopened } }))
    {
        if (await station.GetMessageResultAsync(queued) is not { IsAnswered: true } again
            || again.GetResponse(V16.StartTransactionRequest.ResponseTypeInfo).TransactionId != 42
            || (await station.GetQueuedMessagesAsync()).Count != 0)
        {
            return Fail("queue (reopened)");
        }
    }

    Console.WriteLine($"sqlite queue ok {Elapsed():F0}");
}
finally
{
    Directory.Delete(folder, recursive: true);
}

return 0;

// The CSMS's strict mode answers an invalid CALL with a CALLERROR; the station sends it raw, unchecked.
static async Task<bool> IsRefusedAsync(OcppClient station, string action, string json)
{
    using JsonDocument payload = JsonDocument.Parse(json);
    try
    {
        await station.CallAsync(action, payload.RootElement, new OcppCallOptions { SkipValidation = true });
        return false;
    }
    catch (OcppRpcException ex)
    {
        Console.WriteLine($"{station.Protocol} refused: {ex.WireCode ?? ex.Code.ToString()} {ex.Description}");
        return true;
    }
}

static int Fail(string version)
{
    Console.WriteLine($"{version} session failed");
    return 1;
}

// Quick-start: a CSMS and a charge point in one process, talking OCPP 1.6 over an in-memory link.
using System.Text.Json;
using Ocpp.Rpc;
using Ocpp.Rpc.Transport;

(InMemoryTransport stationSide, InMemoryTransport csmsSide) = InMemoryTransport.CreatePair(OcppProtocols.Ocpp16);
await using var csms = new OcppConnection(csmsSide, identity: "CP-001");
await using var station = new OcppConnection(stationSide, identity: "CP-001");

foreach ((string who, OcppConnection connection) in new[] { ("station", station), ("csms", csms) })
{
    connection.CallSent += (_, e) => Console.WriteLine($"{who,-7} -> CALL   {e.Action} {e.Payload}");
    connection.ResultSent += (_, e) => Console.WriteLine($"{who,-7} -> RESULT {e.Action} {e.Payload}");
    connection.ErrorSent += (_, e) => Console.WriteLine($"{who,-7} -> ERROR  {e.WireCode} {e.Description}");
}

// CSMS side: answer the station's messages.
csms.Handle("BootNotification", _ => Reply(new { status = "Accepted", interval = 1, currentTime = DateTimeOffset.UtcNow }));
csms.Handle("Heartbeat", _ => Reply(new { currentTime = DateTimeOffset.UtcNow }));
csms.Handle("StatusNotification", _ => Reply(new { }));
csms.Handle("StartTransaction", _ => Reply(new { transactionId = 42, idTagInfo = new { status = "Accepted" } }));
csms.Handle("MeterValues", _ => Reply(new { }));
csms.Handle("StopTransaction", _ => Reply(new { idTagInfo = new { status = "Accepted" } }));

// Station side: answer what the CSMS asks.
station.Handle("GetConfiguration", _ => Reply(new { configurationKey = new[] { new { key = "HeartbeatInterval", @readonly = false, value = "1" } } }));
station.Handle("Reset", _ => Reply(new { status = "Accepted" }));

csms.Start();
station.Start();

JsonElement boot = await station.CallAsync("BootNotification", Json(new { chargePointVendor = "Acme", chargePointModel = "QuickStart" }));
Console.WriteLine($"Boot: {boot.GetProperty("status")}");
await station.CallAsync("Heartbeat");
await station.CallAsync("StatusNotification", Json(new { connectorId = 1, errorCode = "NoError", status = "Available" }));
JsonElement start = await station.CallAsync("StartTransaction", Json(new { connectorId = 1, idTag = "TAG-1", meterStart = 0, timestamp = DateTimeOffset.UtcNow }));
int transactionId = start.GetProperty("transactionId").GetInt32();
await station.CallAsync("MeterValues", Json(new { connectorId = 1, transactionId, meterValue = new[] { new { timestamp = DateTimeOffset.UtcNow, sampledValue = new[] { new { value = "1500", measurand = "Energy.Active.Import.Register", unit = "Wh" } } } } }));
await station.CallAsync("StopTransaction", Json(new { transactionId, meterStop = 1500, timestamp = DateTimeOffset.UtcNow }));

// The CSMS calls the station.
JsonElement config = await csms.CallAsync("GetConfiguration", Json(new { key = new[] { "HeartbeatInterval" } }));
Console.WriteLine($"HeartbeatInterval = {config.GetProperty("configurationKey")[0].GetProperty("value")}");
await csms.CallAsync("Reset", Json(new { type = "Soft" }));

// An unknown action gets a spec-correct CALLERROR.
try
{
    await csms.CallAsync("NoSuchAction");
}
catch (OcppRpcException ex)
{
    Console.WriteLine($"NoSuchAction failed as expected: {ex.Code}");
}

await station.CloseAsync();
Console.WriteLine("Done.");

static OcppPayload Json(object value) => OcppPayload.FromJson(JsonSerializer.Serialize(value));

static ValueTask<OcppReply> Reply(object value) => new(Json(value));

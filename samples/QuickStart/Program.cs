// Quick-start: a CSMS (OcppServer) and a charge point (OcppClient) in one process, talking OCPP 1.6 with the typed
// records of Ocpp.Rpc.Messages over a real WebSocket on a free loopback port. The whole exchange is in QuickStartDemo.cs.
return await Ocpp.Rpc.Samples.QuickStart.QuickStartDemo.RunAsync(Console.Out);

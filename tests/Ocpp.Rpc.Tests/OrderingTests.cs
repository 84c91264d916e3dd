using System.Text.Json;
using Ocpp.Rpc.Tests.Support;

namespace Ocpp.Rpc.Tests;

// Issue 21: a CSMS answers StartTransaction and sends RemoteStopTransaction for that transaction right after it, on
// the same ordered link. The station sets its transaction id in the code after `await CallAsync`; the library
// guarantees that code runs before the handler of a CALL that arrived after the answer, so the stop always finds it.
public class OrderingTests
{
    private const int Rounds = 1000;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_code_after_an_awaited_call_runs_before_the_handler_of_a_call_that_arrived_after_its_answer(bool answerWithError)
    {
        int current = -1;
        await using var peer = RawPeer.Create(OcppProtocols.Ocpp16, setup: c => c.Handle("RemoteStopTransaction", ctx =>
        {
            int asked = ctx.PayloadElement.GetProperty("transactionId").GetInt32();
            string status = asked == Volatile.Read(ref current) ? "Accepted" : "Rejected";
            return new ValueTask<OcppReply>(OcppPayload.FromJson($$"""{"status":"{{status}}","seen":{{Volatile.Read(ref current)}}}"""));
        }));

        // The station runs on the thread pool (no SynchronizationContext), as firmware does; xunit's context would
        // resume the test method elsewhere.
        Task station = Task.Run(async () =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                try
                {
                    JsonElement response = await peer.Connection.CallAsync("StartTransaction", OcppPayload.FromJson("""{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"2025-01-01T00:00:00Z"}"""));
                    Volatile.Write(ref current, response.GetProperty("transactionId").GetInt32());
                }
                catch (OcppRpcException ex)
                {
                    Volatile.Write(ref current, ex.Details!.Value.GetProperty("transactionId").GetInt32());
                }
            }
        });

        var rejected = new List<string>();
        JsonElement? call = await peer.ReceiveJsonAsync();
        for (int i = 0; i < Rounds; i++)
        {
            call!.Value[2].GetString().Should().Be("StartTransaction");
            string id = call.Value[1].GetString()!;
            string answer = answerWithError
                ? $$"""[4,"{{id}}","GenericError","",{"transactionId":{{i}}}]"""
                : $$$"""[3,"{{{id}}}",{"transactionId":{{{i}}},"idTagInfo":{"status":"Accepted"}}]""";

            // Back to back: the CALL is written right after the answer, before anything is read from the station.
            await peer.SendAsync(answer);
            await peer.SendAsync($$"""[2,"stop-{{i}}","RemoteStopTransaction",{"transactionId":{{i}}}]""");

            // The station's answer to the stop and its next StartTransaction arrive in either order.
            call = null;
            bool stopAnswered = false;
            while (!stopAnswered || (call is null && i < Rounds - 1))
            {
                JsonElement message = await peer.ReceiveJsonAsync();
                if (message[0].GetInt32() == 2)
                {
                    call = message;
                    continue;
                }

                message[0].GetInt32().Should().Be(3);
                message[1].GetString().Should().Be($"stop-{i}");
                if (message[2].GetProperty("status").GetString() != "Accepted")
                {
                    rejected.Add(message.GetRawText());
                }

                stopAnswered = true;
            }
        }

        await station.WaitAsync(TimeSpan.FromSeconds(30));
        rejected.Should().BeEmpty("every stop arrived after the answer that told the station its transaction id");
    }
}

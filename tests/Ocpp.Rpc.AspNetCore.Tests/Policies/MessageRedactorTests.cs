using System.Text;
using Ocpp.Rpc.AspNetCore.Policies;

namespace Ocpp.Rpc.AspNetCore.Tests.Policies;

// What the message log masks, message by message (no server needed).
public sealed class MessageRedactorTests
{
    private static string? Redact(string json, OcppRedactions what = OcppRedactions.All)
    {
        var redactor = new MessageRedactor(what);
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        return redactor.MayHoldSecrets(bytes) ? redactor.Redact(bytes) : json;
    }

    [Theory]
    [InlineData("""[2,"1","ChangeConfiguration",{"key":"AuthorizationKey","value":"0011223344556677"}]""", """[2,"1","ChangeConfiguration",{"key":"AuthorizationKey","value":"***"}]""")]
    [InlineData("""[3,"1",{"configurationKey":[{"key":"AuthorizationKey","readonly":false,"value":"secret"},{"key":"HeartbeatInterval","readonly":false,"value":"300"}]}]""", """[3,"1",{"configurationKey":[{"key":"AuthorizationKey","readonly":false,"value":"***"},{"key":"HeartbeatInterval","readonly":false,"value":"300"}]}]""")]
    [InlineData("""[2,"1","SetVariables",{"setVariableData":[{"attributeValue":"p4ssw0rd-p4ssw0rd","component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"}},{"attributeValue":"60","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}]""", """[2,"1","SetVariables",{"setVariableData":[{"attributeValue":"***","component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"}},{"attributeValue":"60","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}]""")]
    [InlineData("""[2,"1","NotifyReport",{"reportData":[{"component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"},"variableAttribute":[{"value":"x"}]}]}]""", """[2,"1","NotifyReport",{"reportData":[{"component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"},"variableAttribute":[{"value":"***"}]}]}]""")]
    [InlineData("""[2,"1","SetNetworkProfile",{"connectionData":{"basicAuthPassword":"pw","ocppCsmsUrl":"wss://x"}}]""", """[2,"1","SetNetworkProfile",{"connectionData":{"basicAuthPassword":"***","ocppCsmsUrl":"wss://x"}}]""")]
    [InlineData("""[3,"1",{"idTagInfo":{"status":"Accepted","parentIdTag":"PARENT"}}]""", """[3,"1",{"idTagInfo":{"status":"Accepted","parentIdTag":"***"}}]""")]
    [InlineData("""[2,"1","TransactionEvent",{"idToken":{"idToken":"AB12","type":"ISO14443"},"groupIdToken":{"idToken":"G1","type":"Central"}}]""", """[2,"1","TransactionEvent",{"idToken":{"idToken":"***","type":"ISO14443"},"groupIdToken":{"idToken":"***","type":"Central"}}]""")]
    [InlineData("""[2,"1","SignCertificate",{"csr":"-----BEGIN CERTIFICATE REQUEST-----"}]""", """[2,"1","SignCertificate",{"csr":"***"}]""")]
    [InlineData("""[2,"1","CertificateSigned",{"certificateChain":"-----BEGIN CERTIFICATE-----"}]""", """[2,"1","CertificateSigned",{"certificateChain":"***"}]""")]
    [InlineData("""[2,"1","UpdateFirmware",{"firmware":{"location":"https://x","signingCertificate":"PEM","retrieveDateTime":"2025-01-01T00:00:00Z"}}]""", """[2,"1","UpdateFirmware",{"firmware":{"location":"https://x","signingCertificate":"***","retrieveDateTime":"2025-01-01T00:00:00Z"}}]""")]
    [InlineData("""[2,"1","Get15118EVCertificate",{"iso15118SchemaVersion":"urn:iso:15118:2:2013:MsgDef","action":"Install","exiRequest":"AAAA"}]""", """[2,"1","Get15118EVCertificate",{"iso15118SchemaVersion":"urn:iso:15118:2:2013:MsgDef","action":"Install","exiRequest":"***"}]""")]
    [InlineData("""[2,"1","Heartbeat",{}]""", """[2,"1","Heartbeat",{}]""")]
    [InlineData("""[2,"1","DataTransfer",{"vendorId":"Ünïcode ✓","data":"idTag"}]""", """[2,"1","DataTransfer",{"vendorId":"Ünïcode ✓","data":"idTag"}]""")]
    public void Secrets_are_masked_and_everything_else_is_kept(string message, string expected) =>
        Redact(message).Should().Be(expected);

    [Fact]
    public void What_is_masked_is_configurable()
    {
        const string Message = """[2,"1","Authorize",{"idTag":"T1","certificate":"PEM","password":"pw"}]""";
        Redact(Message, OcppRedactions.None).Should().Be(Message);
        Redact(Message, OcppRedactions.IdTokens).Should().Be("""[2,"1","Authorize",{"idTag":"***","certificate":"PEM","password":"pw"}]""");
        Redact(Message, OcppRedactions.Certificates | OcppRedactions.Passwords).Should().Be("""[2,"1","Authorize",{"idTag":"T1","certificate":"***","password":"***"}]""");
    }

    [Fact]
    public void A_message_that_is_not_JSON_but_may_hold_a_secret_is_not_shown()
    {
        var redactor = new MessageRedactor(OcppRedactions.All);
        byte[] bad = Encoding.UTF8.GetBytes("""[2,"1","Authorize",{"idTag":"SECRET""");
        redactor.MayHoldSecrets(bad).Should().BeTrue();
        redactor.Redact(bad).Should().BeNull();
    }
}

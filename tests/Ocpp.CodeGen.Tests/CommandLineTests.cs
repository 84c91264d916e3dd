using Ocpp.CodeGen.Tests.Support;

namespace Ocpp.CodeGen.Tests;

// The generator in process: every kind of error in a user's schema is one "file: #/pointer: message" line and exit
// code 1, a bad command line is exit code 2, and nothing is written unless everything is fine.
public sealed class CommandLineTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ocpp-codegen-cli-" + Guid.NewGuid().ToString("N")[..12]);

    public CommandLineTests() => Directory.CreateDirectory(Path.Combine(_dir, "in"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string In => Path.Combine(_dir, "in");

    private string Out => Path.Combine(_dir, "out");

    [Theory]
    [InlineData("""{"type":"object","properties":{"a":{"$ref":"other.json#/definitions/A"}}}""", "#/properties/a/$ref", "cannot resolve $ref 'other.json#/definitions/A': only references to '#/definitions/<name>' in the same file are supported")]
    [InlineData("""{"type":"object","properties":{"a":{"type":["string","null"]}}}""", "#/properties/a/type", "unsupported type [\"string\",\"null\"]: use one of object, array, string, integer, number, boolean")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"array"}}}""", "#/properties/a", "an array schema needs 'items' to be typed")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"object","additionalProperties":{"type":"string"}}}}""", "#/properties/a/additionalProperties", "unsupported: additionalProperties must be true or false (a schema for extra properties cannot be typed)")]
    [InlineData("""{"type":"object","properties":{"a":{"enum":[1,2]}}}""", "#/properties/a/enum", "unsupported: enum must be a non-empty array of strings")]
    [InlineData("""{"type":"object","properties":{"a":{"$ref":"#/definitions/Node"}},"definitions":{"Node":{"type":"object","properties":{"next":{"$ref":"#/definitions/Node"}}}}}""", "#/definitions/Node/properties/next/$ref", "unsupported: recursive $ref '#/definitions/Node' (a type that contains itself)")]
    [InlineData("""{"properties":{}}""", "#", "a message schema must have \"type\": \"object\" (an OCPP payload is a JSON object)")]
    [InlineData("""{"type":"object","patternProperties":{"^x":{"type":"string"}}}""", "#/patternProperties", "unsupported keyword 'patternProperties': the generator handles type, properties, required, additionalProperties (true/false), items, enum (strings), $ref (#/definitions/...) and validation-only keywords")]
    public void A_schema_error_is_reported_with_file_and_json_pointer(string request, string pointer, string message)
    {
        Write("FooRequest.json", request);
        Write("FooResponse.json", """{"type":"object","properties":{}}""");

        var (code, stdout, stderr) = Generate("-n", "Acme", "-p", "ocpp2.0.1", "-o", Out, In);

        code.Should().Be(CommandLine.SchemaErrors, stderr);
        stderr.Should().Contain($"{Path.Combine(In, "FooRequest.json")}: {pointer}: {message}");
        stderr.Should().Contain("nothing written").And.NotContain("   at ");
        stdout.Should().BeEmpty();
        Directory.Exists(Out).Should().BeFalse();
    }

    [Fact]
    public void Missing_halves_sends_in_1_6_and_clashes_are_errors()
    {
        Write("LonelyRequest.json", """{"type":"object"}""");
        Write("PingRequest.json", """{"type":"object"}""");
        Write("AcmeARequest.json", """{"type":"object","x-ocpp-data-transfer":{"vendorId":"com.acme","messageId":"A"}}""");
        Write("AcmeAResponse.json", """{"type":"object","x-ocpp-data-transfer":{"vendorId":"com.acme","messageId":"B"}}""");
        Write("AcmeBRequest.json", """{"type":"object","x-ocpp-data-transfer":{"vendorId":"com.acme","messageId":"A"}}""");
        Write("AcmeBResponse.json", """{"type":"object"}""");
        Write("NoVendorRequest.json", """{"type":"object","x-ocpp-data-transfer":{"messageId":"X"}}""");
        Write("NoVendorResponse.json", """{"type":"object"}""");
        Write("bundle.json", """[{"$id":"urn:Ping.req","type":"object"},{"$id":"nope","type":"object"},{"$id":"urn:Ping.conf","type":"object"}]""");

        var (code, _, stderr) = Generate("-n", "Acme", "-p", "ocpp1.6", "-o", Out, In);

        code.Should().Be(CommandLine.SchemaErrors);
        string F(string name) => Path.Combine(In, name);
        stderr.Should().Contain($"{F("LonelyRequest.json")}: #: 'Lonely' has a request schema but no response schema")
            .And.Contain($"{F("bundle.json")}: #/1/$id: a schema in a bundle needs an $id")
            .And.Contain($"{F("bundle.json")}: #/0: name clash: the Request schema of 'Ping' is also defined in {F("PingRequest.json")}")
            .And.Contain($"{F("AcmeAResponse.json")}: #/x-ocpp-data-transfer: does not match the request's (com.acme, A)")
            .And.Contain($"{F("AcmeBRequest.json")}: #/x-ocpp-data-transfer: name clash: DataTransfer (com.acme, A) is also mapped by {F("AcmeARequest.json")}")
            .And.Contain($"{F("NoVendorRequest.json")}: #/x-ocpp-data-transfer: no vendorId: give one here or pass --vendor-id");
    }

    [Fact]
    public void A_lone_schema_is_a_one_way_send_outside_1_x_and_an_error_in_1_6()
    {
        Write("NotifyThing.json", """{"type":"object","properties":{"n":{"type":"integer"}}}""");

        var (v16, _, stderr) = Generate("-n", "Acme", "-p", "ocpp1.6", "-o", Out, In);
        v16.Should().Be(CommandLine.SchemaErrors);
        stderr.Should().Contain("no response schema for 'NotifyThing' (expected NotifyThingResponse.json): ocpp1.6 has no one-way messages");

        var (v21, stdout, _) = Generate("-n", "Acme", "-p", "ocpp2.1", "-o", Out, In);
        v21.Should().Be(0);
        stdout.Should().Contain("wrote");
        File.ReadAllText(Path.Combine(Out, "NotifyThing.cs")).Should()
            .Contain("public sealed record NotifyThingMessage : global::Ocpp.Rpc.IOcppSendMessage<NotifyThingMessage>")
            .And.Contain("public static string Protocol => global::Ocpp.Rpc.OcppProtocols.Ocpp21;");
    }

    [Fact]
    public void A_custom_subprotocol_is_written_as_a_literal_and_stale_files_are_removed()
    {
        Write("HelloRequest.json", """{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}""");
        Write("HelloResponse.json", """{"type":"object"}""");
        Directory.CreateDirectory(Out);
        File.WriteAllText(Path.Combine(Out, "Stale.cs"), "// old");

        var (code, _, stderr) = Generate("-n", "Acme.Vendor", "-p", "acme-1.0", "-o", Out, In);

        code.Should().Be(0, stderr);
        File.Exists(Path.Combine(Out, "Stale.cs")).Should().BeFalse();
        File.ReadAllText(Path.Combine(Out, "Hello.cs")).Should().Contain("public static string Protocol => \"acme-1.0\";")
            .And.Contain("namespace Acme.Vendor;").And.Contain("public required string Name { get; init; }");
        File.ReadAllText(Path.Combine(Out, "VendorActions.cs")).Should().Contain("new(\"acme-1.0\", \"Hello\", global::Ocpp.Rpc.Validation.OcppPayloadKind.Request,");
        File.Exists(Path.Combine(Out, "VendorJsonContext.cs")).Should().BeTrue();
    }

    [Theory]
    [InlineData(new[] { "-n", "1Acme", "-p", "ocpp1.6", "-o", "x", "y" }, "'1Acme' is not a C# namespace")]
    [InlineData(new[] { "-n", "Acme", "-p", "ocpp 1.6", "-o", "x", "y" }, "'ocpp 1.6' is not a WebSocket subprotocol name")]
    [InlineData(new[] { "-n", "Acme", "-p" }, "option '-p' needs a value")]
    [InlineData(new[] { "--schemas", "schemas", "-n", "Acme" }, "--schemas <folder> takes only --out <folder>")]
    public void A_bad_command_line_is_exit_code_2_with_a_clear_message(string[] args, string message)
    {
        var (code, _, stderr) = Generate(args);
        code.Should().Be(CommandLine.UsageError);
        stderr.Should().Contain("ocpp-codegen: " + message).And.Contain("Run 'ocpp-codegen --help' for usage.");
    }

    [Fact]
    public void A_missing_input_is_a_schema_error()
    {
        var missing = Path.Combine(_dir, "nope");
        var (code, _, stderr) = Generate("-n", "Acme", "-p", "ocpp2.0.1", "-o", Out, missing);
        code.Should().Be(CommandLine.SchemaErrors);
        stderr.Should().Contain($"{missing}: #: no such file or folder");
    }

    [Fact]
    public void The_repository_mode_still_regenerates_the_library_messages_byte_identically()
    {
        var (code, stdout, stderr) = Generate("--schemas", Path.Combine(Repo.Root, "schemas"), "--out", Out);
        code.Should().Be(0, stderr);
        stdout.Should().Contain("wrote 631 files");
        var committed = Path.Combine(Repo.Root, "src", "Ocpp.Rpc.Messages", "Generated");
        foreach (var file in Directory.GetFiles(Out, "*.cs", SearchOption.AllDirectories))
        {
            File.ReadAllBytes(file).Should().Equal(File.ReadAllBytes(Path.Combine(committed, Path.GetRelativePath(Out, file))), file);
        }
    }

    private void Write(string name, string json) => File.WriteAllText(Path.Combine(In, name), json);

    private static (int Code, string StdOut, string StdErr) Generate(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}

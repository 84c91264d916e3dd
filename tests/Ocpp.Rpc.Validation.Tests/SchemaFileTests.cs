using System.Security.Cryptography;

namespace Ocpp.Rpc.Validation.Tests;

public class SchemaFileTests
{
    // SHA-256 of the files in ocpp-rpc@2.2.1 (npm tarball sha1 f938ef5954c51c3c427faede61bf0b794cf483a5).
    [Theory]
    [InlineData("ocpp1.6", "Ocpp.Rpc.Validation.Schemas.ocpp1_6.json", "bcef6a1779d7e729d88f604b18a27084b25e3f1d94e95c5c744f1b4a23c47ae5")]
    [InlineData("ocpp2.0.1", "Ocpp.Rpc.Validation.Schemas.ocpp2_0_1.json", "bb3c94678892a15bea969666bda599cc342eb3c34b7b351ddcfa974da9765a60")]
    [InlineData("ocpp2.1", "Ocpp.Rpc.Validation.Schemas.ocpp2_1.json", "05ca95379552acf5de73d70566a063f44f6a1d4427072646605c5b352a05adb5")]
    public void Embedded_schema_files_are_the_unmodified_official_files(string protocol, string resource, string sha256)
    {
        using Stream stream = typeof(OcppSchemaValidator).Assembly.GetManifestResourceStream(resource)!;
        stream.Should().NotBeNull();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        byte[] embedded = buffer.ToArray();

        Convert.ToHexStringLower(SHA256.HashData(embedded)).Should().Be(sha256);
        embedded.Should().Equal(File.ReadAllBytes(SchemaFiles.PathOf(protocol)));
    }

    [Theory]
    [InlineData("ocpp1.6", 39)]
    [InlineData("ocpp2.0.1", 64)]
    [InlineData("ocpp2.1", 91)] // 90 request/response pairs plus NotifyPeriodicEventStream, a SEND without a response.
    public void Every_action_of_the_files_is_known_to_the_validator(string protocol, int actions)
    {
        var fromFile = SchemaFiles.Load(protocol);
        OcppSchemaValidator.GetBuiltInActions(protocol).Should().HaveCount(actions)
            .And.BeEquivalentTo(fromFile.Keys.Select(k => k.Action).Distinct());
        foreach ((string action, OcppPayloadKind kind) in fromFile.Keys)
        {
            OcppSchemaValidator.HasBuiltInSchema(protocol, action, kind).Should().BeTrue($"{action} {kind}");
        }

        int expectedSchemas = protocol == OcppProtocols.Ocpp21 ? (2 * actions) - 1 : 2 * actions;
        fromFile.Should().HaveCount(expectedSchemas);
    }

    [Fact]
    public void NotifyPeriodicEventStream_has_a_request_schema_only()
    {
        OcppSchemaValidator.HasBuiltInSchema(OcppProtocols.Ocpp21, "NotifyPeriodicEventStream", OcppPayloadKind.Request).Should().BeTrue();
        OcppSchemaValidator.HasBuiltInSchema(OcppProtocols.Ocpp21, "NotifyPeriodicEventStream", OcppPayloadKind.Response).Should().BeFalse();
    }

    [Fact]
    public void Security_whitepaper_actions_are_part_of_1_6()
    {
        OcppSchemaValidator.GetBuiltInActions(OcppProtocols.Ocpp16).Should().Contain(
            ["SecurityEventNotification", "SignCertificate", "CertificateSigned", "InstallCertificate", "LogStatusNotification", "SignedFirmwareStatusNotification", "SignedUpdateFirmware", "GetLog", "ExtendedTriggerMessage", "DeleteCertificate", "GetInstalledCertificateIds"]);
    }

    [Fact]
    public void Built_in_protocols_are_the_three_schema_sets()
    {
        OcppSchemaValidator.BuiltInProtocols.Should().Equal("ocpp1.6", "ocpp2.0.1", "ocpp2.1");
        OcppSchemaValidator.GetBuiltInActions("ocpp2.0").Should().BeEmpty();
    }

    [Fact]
    public void Preload_compiles_every_official_schema_once()
    {
        var validator = new OcppSchemaValidator();
        int total = SchemaFiles.FileNames.Keys.Sum(p => SchemaFiles.Load(p).Count);

        validator.Preload().Should().Be(total);
        validator.SchemasBuilt.Should().Be(total);
        validator.Preload().Should().Be(total);
        validator.SchemasBuilt.Should().Be(total, "a second preload uses the cache");
    }
}

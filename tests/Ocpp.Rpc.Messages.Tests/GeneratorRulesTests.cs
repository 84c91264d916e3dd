using Ocpp.CodeGen;

namespace Ocpp.Rpc.Messages.Tests;

/// <summary>Generator rules that the shipped schemas do not exercise, checked on small synthetic bundles.</summary>
public sealed class GeneratorRulesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ocpp-codegen-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private VersionModel Build(string bundle)
    {
        var path = Path.Combine(_dir, "bundle.json");
        File.WriteAllText(path, bundle);
        return new TypeModelBuilder(new OcppVersion("vx", "bundle.json", "VX", "Ocpp21", "OCPP X"), SchemaLoader.Load(path)).Build();
    }

    private static string Schema(string id, string definitions, string properties, string required = "[]") => $$"""
        {"$id":"urn:{{id}}","type":"object","additionalProperties":false,
         "definitions":{ {{definitions}} },"properties":{ {{properties}} },"required":{{required}} }
        """;

    [Fact]
    public void Same_named_definitions_merge_when_identical_and_are_disambiguated_when_not()
    {
        const string Same = "\"ModeEnumType\":{\"description\":\"%\",\"type\":\"string\",\"enum\":[\"On\",\"Off\"]}";
        const string Other = "\"ModeEnumType\":{\"type\":\"string\",\"enum\":[\"On\",\"Off\",\"Auto\"]}";
        var bundle = "[" + string.Join(",",
            Schema("AlphaRequest", Same.Replace("%", "first doc", StringComparison.Ordinal), "\"mode\":{\"$ref\":\"#/definitions/ModeEnumType\"}"),
            Schema("AlphaResponse", Same.Replace("%", "other doc", StringComparison.Ordinal), "\"mode\":{\"$ref\":\"#/definitions/ModeEnumType\"}"),
            Schema("BetaRequest", Other, "\"mode\":{\"$ref\":\"#/definitions/ModeEnumType\"}"),
            Schema("BetaResponse", "", "")) + "]";

        var model = Build(bundle);

        model.Types.Select(t => t.Name).Should().Equal("BetaModeEnumType", "ModeEnumType");
        model.Types.Single(t => t.Name == "ModeEnumType").Doc.Should().Be("first doc");
        model.Messages.Single(m => m.Name == "BetaRequest").Properties.Single().Type.CSharp.Should().Be("BetaModeEnumType");
        model.Messages.Single(m => m.Name == "AlphaResponse").Properties.Single().Type.CSharp.Should().Be("ModeEnumType");
    }

    [Fact]
    public void Inline_shapes_merge_by_structure_and_get_qualified_names_when_property_names_clash()
    {
        var bundle = "[" + string.Join(",",
            Schema("AlphaRequest", "", "\"state\":{\"type\":\"string\",\"enum\":[\"A\",\"B\"]}"),
            Schema("AlphaResponse", "", "\"state\":{\"type\":\"string\",\"enum\":[\"A\",\"B\"]}"),
            Schema("BetaRequest", "", "\"state\":{\"type\":\"string\",\"enum\":[\"C\"]}"),
            Schema("BetaResponse", "", "\"box\":{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"n\":{\"type\":\"integer\",\"maximum\":5000000000}}}")) + "]";

        var model = Build(bundle);

        model.Types.Select(t => t.Name).Should().BeEquivalentTo("AlphaState", "BetaState", "Box");
        model.Types.Single(t => t.Name == "Box").Properties.Single().Type.Should().Be(PrimitiveRef.Long, "the range needs 64 bits");
    }

    [Fact]
    public void Property_names_are_made_valid_and_reserved_names_are_suffixed()
    {
        var bundle = "[" + string.Join(",",
            Schema("GammaRequest", "", "\"limit_L2\":{\"type\":\"number\"},\"action\":{\"type\":\"string\"},\"toString\":{\"type\":\"boolean\"}", "[\"action\"]"),
            Schema("GammaResponse", "", "")) + "]";

        var properties = Build(bundle).Messages.Single(m => m.Name == "GammaRequest").Properties;

        properties.Select(p => (p.WireName, p.Name, p.Required)).Should().Equal(
            ("limit_L2", "LimitL2", false), ("action", "ActionValue", true), ("toString", "ToStringValue", false));
    }

    [Theory]
    [InlineData("Energy.Active.Import.Register", "EnergyActiveImportRegister")]
    [InlineData("L1-N", "L1N")]
    [InlineData("kWh", "KWh")]
    [InlineData("AC_single_phase", "ACSinglePhase")]
    [InlineData("s309-1P-16A", "S3091P16A")]
    [InlineData("15118", "Value15118")]
    public void Enum_member_names_drop_non_identifier_characters(string wire, string name)
    {
        Naming.Pascal(wire).Should().Be(name);
    }

    [Fact]
    public void Enum_values_differing_only_by_case_get_distinct_members()
    {
        var type = new ModelType { Name = "E", Kind = ModelKind.Enum, Doc = "d", Origin = "o", EnumValues = ["DeAuthorized", "Deauthorized", "L1-N", "L1N"] };
        EnumEmitter.MemberNames(type).Should().Equal("DeAuthorized", "Deauthorized2", "L1N", "L1N2");
    }
}

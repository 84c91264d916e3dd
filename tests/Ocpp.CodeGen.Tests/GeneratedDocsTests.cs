using Ocpp.CodeGen.Tests.Support;

namespace Ocpp.CodeGen.Tests;

// Item 4 of issue 18: the generated XML docs carry no data-dictionary ids and no AsciiDoc cross-references, and the
// specification's type names stay visible.
public sealed class GeneratedDocsTests
{
    private static readonly IReadOnlyList<GeneratedFile> Files = CodeGenerator.Generate(Path.Combine(Repo.Root, "schemas"));

    [Fact]
    public void No_generated_file_has_urn_x_oca_ids_or_escaped_cross_references()
    {
        foreach (var file in Files)
        {
            file.Content.Should().NotContain("urn:x-", file.RelativePath);
            file.Content.Should().NotContain("&amp;lt;", file.RelativePath);
            file.Content.Should().NotContain("&lt;&lt;", file.RelativePath);
        }
    }

    [Fact]
    public void Spec_type_names_stay_visible_in_the_docs()
    {
        var chargingStation = Files.Single(f => f.RelativePath == "V201/Types/ChargingStationType.cs").Content;
        chargingStation.Should().Contain("The OCPP 2.0.1 <c>ChargingStationType</c> object.");
        chargingStation.Should().Contain("public sealed record ChargingStationType");

        var boot = Files.Single(f => f.RelativePath == "V201/BootNotification.cs").Content;
        boot.Should().Contain("/// <summary>The physical system where an Electrical Vehicle (EV) can be charged.</summary>")
            .And.Contain("public required ChargingStationType ChargingStation { get; init; }")
            .And.Contain("When Status is Accepted, this contains the heartbeat interval in seconds.");
    }
}

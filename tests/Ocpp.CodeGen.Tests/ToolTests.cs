using Ocpp.CodeGen.Tests.Support;

namespace Ocpp.CodeGen.Tests;

// The generator as a user gets it: the packed tool installed into a temporary tool path and the packed MSBuild package
// restored into fresh projects outside the repository (see LocalFeed), each built and run as a child process.
public sealed class ToolTests(LocalFeed feed) : IClassFixture<LocalFeed>
{
    private static readonly string[] Dlls = ["Ocpp.Rpc.dll", "Ocpp.Rpc.AspNetCore.dll", "Ocpp.Rpc.Messages.dll", "Ocpp.Rpc.Validation.dll"];

    [Fact]
    public async Task Installed_tool_shows_help_and_refuses_a_bad_command_line()
    {
        feed.Install!.ExitCode.Should().Be(0, feed.Install.ToString());
        File.Exists(feed.Tool).Should().BeTrue();

        var help = await Run.ProcessAsync(feed.Tool, feed.Root, "--help");
        help.ExitCode.Should().Be(0);
        help.StdOut.Should().Contain("Usage: ocpp-codegen [options] <schema file or folder>...").And.Contain("--namespace").And.Contain("x-ocpp-data-transfer");

        var none = await Run.ProcessAsync(feed.Tool, feed.Root);
        none.ExitCode.Should().Be(2);
        none.StdErr.Should().Contain("ocpp-codegen: no schema file or folder given").And.Contain("ocpp-codegen --help");

        var unknown = await Run.ProcessAsync(feed.Tool, feed.Root, "--frobnicate", Repo.Vendor("acme16"));
        unknown.ExitCode.Should().Be(2);
        unknown.StdErr.Should().Contain("unknown option '--frobnicate'");

        var missing = await Run.ProcessAsync(feed.Tool, feed.Root, "-n", "Acme", "-o", Path.Combine(feed.Root, "x"), Repo.Vendor("acme16"));
        missing.ExitCode.Should().Be(2);
        missing.StdErr.Should().Contain("--namespace, --protocol and --out are required");
    }

    [Fact]
    public async Task Installed_tool_reports_each_error_of_a_broken_schema_as_file_pointer_message_with_exit_code_1()
    {
        var output = Path.Combine(feed.Root, "broken-out");
        var result = await Run.ProcessAsync(feed.Tool, feed.Root, "-n", "Broken", "-p", "ocpp2.0.1", "-o", output, Repo.Vendor("broken"));

        result.ExitCode.Should().Be(1, result.ToString());
        var broken = Repo.Vendor("broken");
        var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Should().Equal(
            $"{broken}/BadJsonRequest.json: #: invalid JSON at line 3, byte 46",
            $"{broken}/BrokenRequest.json: #/properties/target/$ref: cannot resolve $ref '#/definitions/TargetType': the file has no definition 'TargetType'",
            $"{broken}/BrokenRequest.json: #/properties/choice/oneOf: unsupported keyword 'oneOf': the generator handles type, properties, required, additionalProperties (true/false), items, enum (strings), $ref (#/definitions/...) and validation-only keywords",
            $"{broken}/BrokenResponse.json: #/properties/Status: name clash: properties 'status' and 'Status' would both be named Status in C#",
            "ocpp-codegen: 4 error(s), nothing written.");
        result.All.Should().NotContain("   at ", "no stack trace");
        Directory.Exists(output).Should().BeFalse();
    }

    [Fact]
    public async Task Installed_tool_output_compiles_in_a_fresh_project_and_round_trips_through_a_real_server_and_client_in_strict_mode()
    {
        var project = Path.Combine(feed.Root, "App");
        Directory.CreateDirectory(project);
        var v16 = await Run.ProcessAsync(feed.Tool, feed.Root, "--namespace", "Acme.V16", "--protocol", "ocpp1.6", "--prefix", "Acme16", "--out", Path.Combine(project, "Generated", "V16"), Repo.Vendor("acme16"));
        v16.ExitCode.Should().Be(0, v16.ToString());
        v16.StdOut.Should().Contain("ocpp-codegen: wrote 8 files to");
        var v201 = await Run.ProcessAsync(feed.Tool, feed.Root, "-n", "Acme.V201", "-p", "ocpp2.0.1", "--prefix", "Acme201", "--vendor-id", "com.acme", "-o", Path.Combine(project, "Generated", "V201"), Repo.Vendor("acme201"));
        v201.ExitCode.Should().Be(0, v201.ToString());

        // Warnings as errors, the trim and AOT analyzers on and no implicit usings: the generated code must compile
        // cleanly in any project, native AOT ones included.
        await File.WriteAllTextAsync(Path.Combine(project, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <GenerateDocumentationFile>true</GenerateDocumentationFile>
                <NoWarn>CS1591</NoWarn>
                <IsAotCompatible>true</IsAotCompatible>
              </PropertyGroup>
              <ItemGroup>
                <FrameworkReference Include="Microsoft.AspNetCore.App" />
                {References()}
                <Compile Include="{Path.Combine(Repo.Root, "tests", "Ocpp.CodeGen.Tests", "RoundTrip", "VendorRoundTrip.cs")}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(project, "Program.cs"), """
            foreach (string line in await Ocpp.CodeGen.Tests.RoundTrip.VendorRoundTrip.RunAsync())
            {
                System.Console.WriteLine(line);
            }

            System.Console.WriteLine("ROUND TRIP OK");
            """);
        // The AOT analyzers come in Microsoft.NET.ILLink.Tasks, which the repository's own restore put in the machine's
        // packages folder: that folder is this project's only package source.
        var machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        await File.WriteAllTextAsync(Path.Combine(project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(feed.Root, "packages")}" /></config>
              <packageSources><clear /><add key="machine" value="{machinePackages}" /></packageSources>
            </configuration>
            """);

        var build = await Run.DotnetAsync(project, "build", "-nodeReuse:false", "-v:q");
        build.ExitCode.Should().Be(0, build.ToString());
        var run = await Run.DotnetAsync(project, Path.Combine(project, "bin", "Debug", "net10.0", "App.dll"));
        run.ExitCode.Should().Be(0, run.ToString());
        run.StdOut.Should().Contain("1.6 CallDataTransferAsync SetDisplay: Accepted, lines 2")
            .And.Contain("1.6 text of 21 characters: PropertyConstraintViolation (data.text")
            .And.Contain("2.0.1 a line without text: OccurrenceConstraintViolation (data.lines[0]")
            .And.Contain("ROUND TRIP OK");
    }

    [Fact]
    public async Task MSBuild_package_generates_into_obj_at_build_time_skips_unchanged_schemas_and_reports_schema_errors()
    {
        var project = Path.Combine(feed.Root, "Lib");
        var schemas = Path.Combine(project, "schemas", "vendor");
        Directory.CreateDirectory(schemas);
        foreach (var file in Directory.GetFiles(Repo.Vendor("acme16")))
        {
            File.Copy(file, Path.Combine(schemas, Path.GetFileName(file)));
        }

        await File.WriteAllTextAsync(Path.Combine(project, "Lib.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Ocpp.CodeGen.MSBuild" Version="0.1.0" PrivateAssets="all" />
                <OcppSchema Include="schemas/vendor/*.json" Namespace="Acme.Lib" Protocol="ocpp1.6" />
                <OcppSchema Include="{Repo.Vendor("broken")}/*.json" Namespace="Acme.Broken" Protocol="ocpp2.0.1" Condition="'$(WithBroken)' == 'true'" />
                {References()}
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(project, "Use.cs"), """
            namespace Acme.Lib;

            public static class Use
            {
                public static string Describe() => AcmeSetDisplayRequest.VendorId + "/" + AcmeSetDisplayRequest.MessageId + " " + LibActions.AcmeReboot;
            }
            """);
        File.Copy(feed.NuGetConfig, Path.Combine(project, "nuget.config"));
        var generated = Path.Combine(project, "obj", "Debug", "net10.0", "OcppCodeGen", "Acme.Lib", "AcmeSetDisplay.cs");

        var first = await Run.DotnetAsync(project, "build", "-nodeReuse:false", "-v:n");
        first.ExitCode.Should().Be(0, first.ToString());
        File.Exists(generated).Should().BeTrue();
        first.StdOut.Should().Contain("Ocpp.CodeGen.dll").And.Contain("ocpp-codegen: wrote 8 files");
        var stamp = File.GetLastWriteTimeUtc(generated);

        var second = await Run.DotnetAsync(project, "build", "--no-restore", "-nodeReuse:false", "-v:n");
        second.ExitCode.Should().Be(0, second.ToString());
        second.StdOut.Should().Contain("Skipping target \"OcppCodeGenerate\" because all output files are up-to-date");
        second.StdOut.Should().NotContain("ocpp-codegen: wrote");
        File.GetLastWriteTimeUtc(generated).Should().Be(stamp);

        // A changed schema regenerates.
        var request = Path.Combine(schemas, "AcmeSetDisplayRequest.json");
        await File.WriteAllTextAsync(request, (await File.ReadAllTextAsync(request)).Replace("\"brightness\":", "\"contrast\": { \"type\": \"integer\" },\n    \"brightness\":", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(request, DateTime.UtcNow.AddSeconds(2));
        var third = await Run.DotnetAsync(project, "build", "--no-restore", "-nodeReuse:false", "-v:n");
        third.ExitCode.Should().Be(0, third.ToString());
        third.StdOut.Should().Contain("ocpp-codegen: wrote 8 files");
        (await File.ReadAllTextAsync(generated)).Should().Contain("public int? Contrast { get; init; }");

        // Schema errors are build errors naming the file and the JSON pointer.
        var broken = await Run.DotnetAsync(project, "build", "--no-restore", "-nodeReuse:false", "-v:q", "-p:WithBroken=true");
        broken.ExitCode.Should().NotBe(0);
        broken.StdOut.Should().Contain("BrokenRequest.json: #/properties/target/$ref: cannot resolve $ref '#/definitions/TargetType'");
    }

    private static string References() =>
        string.Join("\n", Dlls.Select(d => $"<Reference Include=\"{Repo.TestBin(d)}\" />"));
}

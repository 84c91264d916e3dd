namespace Ocpp.CodeGen.Tests.Support;

/// <summary>
/// Once per test run: packs Ocpp.CodeGen (the tool) and Ocpp.CodeGen.MSBuild from this build into a temporary feed,
/// with a nuget.config that knows only that feed and a private packages folder (so nothing comes from the network or
/// a stale cache), and installs the tool into a temporary tool path.
/// </summary>
public sealed class LocalFeed : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "ocpp-codegen-tests-" + Guid.NewGuid().ToString("N")[..12]);

    public string Feed => Path.Combine(Root, "feed");

    public string NuGetConfig => Path.Combine(Root, "nuget.config");

    public string ToolPath => Path.Combine(Root, "tools");

    public string Tool => Path.Combine(ToolPath, OperatingSystem.IsWindows() ? "ocpp-codegen.exe" : "ocpp-codegen");

    public ProcessResult? Install { get; private set; }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        await File.WriteAllTextAsync(NuGetConfig, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(Root, "packages")}" /></config>
              <packageSources><clear /><add key="local" value="{Feed}" /></packageSources>
            </configuration>
            """);
        foreach (var project in new[] { "tools/Ocpp.CodeGen/Ocpp.CodeGen.csproj", "tools/Ocpp.CodeGen.MSBuild/Ocpp.CodeGen.MSBuild.csproj" })
        {
            var pack = await Run.DotnetAsync(Repo.Root, "pack", project, "-c", Repo.Configuration, "--no-build", "-o", Feed, "-nodeReuse:false");
            if (pack.ExitCode != 0)
            {
                throw new InvalidOperationException("pack failed: " + pack);
            }
        }

        Install = await Run.DotnetAsync(Root, "tool", "install", "--tool-path", ToolPath, "Ocpp.CodeGen", "--version", "0.1.0", "--add-source", Feed, "--configfile", NuGetConfig);
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }
}

namespace Ocpp.CodeGen.Tests.Support;

/// <summary>Paths of the repository and of this test build.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration of this test assembly (bin/&lt;Configuration&gt;/net10.0).</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string Vendor(string folder) => Path.Combine(Root, "tests", "Ocpp.CodeGen.Tests", "Vendor", folder);

    public static string TestBin(string file) => Path.Combine(AppContext.BaseDirectory, file);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ocpp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Ocpp.sln not found above " + AppContext.BaseDirectory);
    }
}

using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Xml.Linq;

namespace Ocpp.PackageCheck;

/// <summary>
/// What every package of the library must carry: its own short README (install line, example, link to the full
/// README), the icon, license and repository metadata with the commit, a symbol package whose PDB has Source Link to
/// GitHub, no build machine's paths in the DLL or PDB (a CI build, deterministic), and no ASP.NET Core outside the
/// server package.
/// </summary>
internal static class PackageChecks
{
    private const string RepositoryUrl = "https://github.com/ocpp-rpc-dotnet/ocpp-rpc-dotnet";
    private const int MaxReadmeBytes = 12 * 1024;
    private const string AspNetCorePackage = "Ocpp.Rpc.AspNetCore";

    // The Source Link custom debug information record (Portable PDB specification).
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    public static IReadOnlyList<string> Check(string folder, string id)
    {
        var problems = new List<string>();
        string? nupkg = Directory.GetFiles(folder, $"{id}.*.nupkg").Where(f => IsVersionOf(f, id, ".nupkg")).SingleOrDefault();
        string? snupkg = Directory.GetFiles(folder, $"{id}.*.snupkg").Where(f => IsVersionOf(f, id, ".snupkg")).SingleOrDefault();
        if (nupkg is null)
        {
            return [$"no {id}.<version>.nupkg in {folder}"];
        }

        using ZipArchive package = ZipFile.OpenRead(nupkg);
        XElement metadata = ReadNuspec(package, id, problems);
        string ns = metadata.Name.NamespaceName;
        string? Field(string name) => metadata.Element(XName.Get(name, ns))?.Value;

        if (Field("license") != "MIT")
        {
            problems.Add("license is not the MIT expression");
        }

        if (string.IsNullOrWhiteSpace(Field("description")))
        {
            problems.Add("no description");
        }

        XElement? repository = metadata.Element(XName.Get("repository", ns));
        if (repository?.Attribute("url")?.Value != RepositoryUrl || repository.Attribute("commit")?.Value is not { Length: 40 })
        {
            problems.Add($"repository metadata is not {RepositoryUrl} with a commit");
        }

        bool isTool = metadata.Descendants().Any(e => e.Name.LocalName == "packageType" && e.Attribute("name")?.Value == "DotnetTool");
        bool isBuildOnly = package.GetEntry($"build/{id}.targets") is not null && !package.Entries.Any(e => e.FullName.StartsWith("lib/", StringComparison.Ordinal));
        CheckDependencies(metadata, id, problems);
        CheckReadme(package, id, Field("readme"), isTool ? $"dotnet tool install --global {id}" : $"dotnet add package {id}", problems);
        CheckIcon(package, Field("icon"), problems);

        if (isBuildOnly)
        {
            // An MSBuild-only package (Ocpp.CodeGen.MSBuild): props and targets, and the generator it runs, built like the rest.
            if (package.GetEntry($"build/{id}.props") is null)
            {
                problems.Add($"no build/{id}.props");
            }

            ZipArchiveEntry? generator = package.Entries.FirstOrDefault(e => e.FullName.StartsWith("tools/", StringComparison.Ordinal) && e.FullName.EndsWith(".dll", StringComparison.Ordinal));
            if (generator is null)
            {
                problems.Add("no tools/**/*.dll for the targets to run");
            }
            else
            {
                CheckDll(Read(generator), problems);
            }

            return problems;
        }

        string dllFolder = isTool ? "tools/net10.0/any" : "lib/net10.0";
        ZipArchiveEntry? dll = package.GetEntry($"{dllFolder}/{id}.dll");
        if (dll is null)
        {
            problems.Add($"no {dllFolder}/{id}.dll");
            return problems;
        }

        if (!isTool && package.GetEntry($"lib/net10.0/{id}.xml") is null)
        {
            problems.Add("no XML documentation beside the DLL");
        }

        byte[] dllBytes = Read(dll);
        CheckDll(dllBytes, problems);

        if (snupkg is null)
        {
            problems.Add("no .snupkg symbol package");
            return problems;
        }

        using ZipArchive symbols = ZipFile.OpenRead(snupkg);
        ZipArchiveEntry? pdb = symbols.GetEntry($"{dllFolder}/{id}.pdb");
        if (pdb is null)
        {
            problems.Add($"the symbol package has no {dllFolder}/{id}.pdb");
            return problems;
        }

        CheckPdb(Read(pdb), problems);
        return problems;
    }

    private static bool IsVersionOf(string path, string id, string extension)
    {
        string name = Path.GetFileName(path);
        return name.Length > id.Length + extension.Length + 1 && char.IsAsciiDigit(name[id.Length + 1]);
    }

    // Only the server package may bring ASP.NET Core: the others (the Redis cluster included) must work in a console
    // app, so neither a dependency on Ocpp.Rpc.AspNetCore nor a framework reference to Microsoft.AspNetCore.App.
    private static void CheckDependencies(XElement metadata, string id, List<string> problems)
    {
        if (id == AspNetCorePackage)
        {
            return;
        }

        foreach (XElement dependency in metadata.Descendants().Where(e => e.Name.LocalName == "dependency"))
        {
            if (string.Equals(dependency.Attribute("id")?.Value, AspNetCorePackage, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"depends on {AspNetCorePackage} (only the server package may bring ASP.NET Core)");
            }
        }

        foreach (XElement reference in metadata.Descendants().Where(e => e.Name.LocalName == "frameworkReference"))
        {
            if (reference.Attribute("name")?.Value?.StartsWith("Microsoft.AspNetCore", StringComparison.OrdinalIgnoreCase) == true)
            {
                problems.Add($"references the {reference.Attribute("name")!.Value} framework (only the server package may bring ASP.NET Core)");
            }
        }
    }

    private static XElement ReadNuspec(ZipArchive package, string id, List<string> problems)
    {
        ZipArchiveEntry? entry = package.GetEntry($"{id}.nuspec");
        if (entry is null)
        {
            problems.Add("no nuspec");
            return new XElement("metadata");
        }

        using Stream stream = entry.Open();
        XElement root = XDocument.Load(stream).Root!;
        return root.Element(XName.Get("metadata", root.Name.NamespaceName)) ?? new XElement("metadata");
    }

    private static void CheckReadme(ZipArchive package, string id, string? readmePath, string installLine, List<string> problems)
    {
        if (readmePath is null || package.GetEntry(readmePath) is not { } entry)
        {
            problems.Add("no README in the package");
            return;
        }

        string text = Encoding.UTF8.GetString(Read(entry));
        if (entry.Length > MaxReadmeBytes)
        {
            problems.Add($"README is {entry.Length} bytes: the package's own short README, not the repository's ({MaxReadmeBytes} at most)");
        }

        if (!text.StartsWith($"# {id}", StringComparison.Ordinal))
        {
            problems.Add($"README does not start with '# {id}'");
        }

        if (!text.Contains(installLine, StringComparison.Ordinal))
        {
            problems.Add("README has no install line");
        }

        if (!text.Contains("```csharp", StringComparison.Ordinal))
        {
            problems.Add("README has no example");
        }

        if (!text.Contains($"{RepositoryUrl}/blob/main/README.md", StringComparison.Ordinal))
        {
            problems.Add("README has no absolute link to the full README");
        }

        // A relative link breaks on the registry's page.
        foreach (string link in Links(text))
        {
            if (!link.StartsWith("https://", StringComparison.Ordinal) && !link.StartsWith('#'))
            {
                problems.Add($"README links to '{link}', which breaks on the registry");
            }
        }
    }

    private static IEnumerable<string> Links(string markdown)
    {
        int at = 0;
        while ((at = markdown.IndexOf("](", at, StringComparison.Ordinal)) >= 0)
        {
            int end = markdown.IndexOf(')', at);
            if (end < 0)
            {
                yield break;
            }

            yield return markdown[(at + 2)..end];
            at = end;
        }
    }

    private static void CheckIcon(ZipArchive package, string? iconPath, List<string> problems)
    {
        if (iconPath is null || package.GetEntry(iconPath) is not { } entry)
        {
            problems.Add("no icon");
            return;
        }

        byte[] png = Read(entry);
        if (png.Length < 8 || png[0] != 0x89 || png[1] != (byte)'P' || png[2] != (byte)'N' || png[3] != (byte)'G')
        {
            problems.Add("the icon is not a PNG");
        }
    }

    private static void CheckDll(byte[] dll, List<string> problems)
    {
        using var pe = new PEReader(new MemoryStream(dll));
        DebugDirectoryEntry[] entries = [.. pe.ReadDebugDirectory()];
        if (!entries.Any(e => e.Type == DebugDirectoryEntryType.Reproducible))
        {
            problems.Add("the DLL is not built deterministically (no Reproducible debug entry)");
        }

        DebugDirectoryEntry? codeView = entries.FirstOrDefault(e => e.Type == DebugDirectoryEntryType.CodeView);
        if (codeView is not { } entry)
        {
            problems.Add("the DLL has no PDB reference");
            return;
        }

        string pdbPath = pe.ReadCodeViewDebugDirectoryData(entry).Path;
        if (!pdbPath.StartsWith("/_/", StringComparison.Ordinal))
        {
            problems.Add($"the DLL names the build machine's path '{pdbPath}' (not a ContinuousIntegrationBuild)");
        }
    }

    private static void CheckPdb(byte[] pdb, List<string> problems)
    {
        using MetadataReaderProvider provider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(pdb));
        MetadataReader reader = provider.GetMetadataReader();

        string? sourceLink = null;
        foreach (CustomDebugInformationHandle handle in reader.CustomDebugInformation)
        {
            CustomDebugInformation info = reader.GetCustomDebugInformation(handle);
            if (reader.GetGuid(info.Kind) == SourceLinkKind)
            {
                sourceLink = Encoding.UTF8.GetString(reader.GetBlobBytes(info.Value));
            }
        }

        string raw = RepositoryUrl.Replace("https://github.com/", "https://raw.githubusercontent.com/", StringComparison.Ordinal);
        if (sourceLink is null || !sourceLink.Contains(raw + "/", StringComparison.Ordinal))
        {
            problems.Add($"the PDB has no Source Link to {raw}/<commit>/ (found: {sourceLink ?? "none"})");
        }

        foreach (DocumentHandle handle in reader.Documents)
        {
            string name = reader.GetString(reader.GetDocument(handle).Name);
            if (!name.StartsWith("/_/", StringComparison.Ordinal) && !name.StartsWith("/_1/", StringComparison.Ordinal))
            {
                problems.Add($"the PDB names a source by the build machine's path: '{name}'");
                break;
            }
        }
    }

    private static byte[] Read(ZipArchiveEntry entry)
    {
        using Stream stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

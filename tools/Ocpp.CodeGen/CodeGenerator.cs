namespace Ocpp.CodeGen;

/// <summary>One generated file.</summary>
/// <param name="RelativePath">Path under the output root, with <c>/</c> separators, e.g. <c>V16/BootNotification.cs</c>.</param>
/// <param name="Content">The file's text (UTF-8, <c>\n</c> line endings).</param>
public sealed record GeneratedFile(string RelativePath, string Content);

/// <summary>The generator's entry point: schemas in, C# files out. Used by the console app and by the staleness test.</summary>
public static class CodeGenerator
{
    /// <summary>Builds the type model of every version.</summary>
    /// <param name="schemaRoot">The folder holding <c>v16/</c>, <c>v201/</c>, <c>v21/</c>.</param>
    public static IReadOnlyList<VersionModel> BuildModels(string schemaRoot) =>
        [.. OcppVersion.All.Select(v => new TypeModelBuilder(v, SchemaLoader.Load(Path.Combine(schemaRoot, v.Folder, v.SchemaFile))).Build())];

    /// <summary>Generates every file, sorted by path.</summary>
    /// <param name="schemaRoot">The folder holding <c>v16/</c>, <c>v201/</c>, <c>v21/</c>.</param>
    public static IReadOnlyList<GeneratedFile> Generate(string schemaRoot)
    {
        var files = new List<GeneratedFile>();
        foreach (var model in BuildModels(schemaRoot))
        {
            Emit(model, model.Version.Prefix + "/", files);
        }

        return [.. files.OrderBy(f => f.RelativePath, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Generates the code of a user's schemas (the <c>ocpp-codegen</c> tool): one file per action, <c>Types/</c> for
    /// shared records and enums, the context and the action table, all at the output root.
    /// </summary>
    /// <param name="inputs">Schema files and folders.</param>
    /// <param name="target">Namespace, prefix and protocol.</param>
    /// <param name="defaultVendorId">The vendorId of DataTransfer schemas that do not name one.</param>
    /// <exception cref="SchemaException">A schema cannot be generated from; every problem is listed.</exception>
    public static IReadOnlyList<GeneratedFile> GenerateUser(IReadOnlyList<string> inputs, OcppVersion target, string? defaultVendorId = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        var messages = UserSchemaLoader.Load(inputs, target.Protocol, defaultVendorId);
        if (messages.Count == 0)
        {
            throw new SchemaException(string.Join(", ", inputs), "#", "no schemas found (expected *.json files)");
        }

        var model = new TypeModelBuilder(target, messages).Build();
        var files = new List<GeneratedFile>();
        Emit(model, string.Empty, files);
        return [.. files.OrderBy(f => f.RelativePath, StringComparer.Ordinal)];
    }

    /// <summary>Writes generated files under <paramref name="outputRoot"/>, replacing every other <c>.cs</c> file there.</summary>
    /// <param name="files">The files.</param>
    /// <param name="outputRoot">The output folder.</param>
    public static int Write(IReadOnlyList<GeneratedFile> files, string outputRoot)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (Directory.Exists(outputRoot))
        {
            var keep = files.Select(f => Path.GetFullPath(Path.Combine(outputRoot, f.RelativePath))).ToHashSet(StringComparer.Ordinal);
            foreach (var stale in Directory.GetFiles(outputRoot, "*.cs", SearchOption.AllDirectories).Where(f => !keep.Contains(Path.GetFullPath(f))))
            {
                File.Delete(stale);
            }
        }

        var utf8 = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        foreach (var file in files)
        {
            var path = Path.Combine(outputRoot, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);

            // Unchanged files keep their time stamp, so a build that runs the generator recompiles only what changed.
            var bytes = utf8.GetBytes(file.Content);
            if (!File.Exists(path) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
            {
                File.WriteAllBytes(path, bytes);
            }
        }

        return files.Count;
    }

    private static void Emit(VersionModel model, string dir, List<GeneratedFile> files)
    {
        foreach (var action in model.Messages.GroupBy(m => m.Action!, StringComparer.Ordinal))
        {
            files.Add(new($"{dir}{action.Key}.cs", RecordEmitter.EmitAction(model, [.. action])));
        }

        foreach (var type in model.Types)
        {
            var content = type.Kind == ModelKind.Enum ? EnumEmitter.Emit(model, type) : RecordEmitter.EmitType(model, type);
            files.Add(new($"{dir}Types/{type.Name}.cs", content));
        }

        files.Add(new($"{dir}{model.Version.ContextName}.cs", ContextEmitter.EmitContext(model)));
        files.Add(new($"{dir}{model.Version.ActionsName}.cs", ContextEmitter.EmitActions(model)));
    }

    /// <summary>
    /// Writes the files under <paramref name="outputRoot"/>, deleting any other <c>.cs</c> file there first so
    /// that renamed types do not linger. Returns the number of files written.
    /// </summary>
    /// <param name="schemaRoot">The schema folder.</param>
    /// <param name="outputRoot">The output folder, e.g. <c>src/Ocpp.Rpc.Messages/Generated</c>.</param>
    public static int Run(string schemaRoot, string outputRoot) => Write(Generate(schemaRoot), outputRoot);
}

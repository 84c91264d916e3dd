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
            var dir = model.Version.Prefix;
            foreach (var action in model.Messages.GroupBy(m => m.Action!, StringComparer.Ordinal))
            {
                files.Add(new($"{dir}/{action.Key}.cs", RecordEmitter.EmitAction(model, [.. action])));
            }

            foreach (var type in model.Types)
            {
                var content = type.Kind == ModelKind.Enum ? EnumEmitter.Emit(model, type) : RecordEmitter.EmitType(model, type);
                files.Add(new($"{dir}/Types/{type.Name}.cs", content));
            }

            files.Add(new($"{dir}/{dir}JsonContext.cs", ContextEmitter.EmitContext(model)));
            files.Add(new($"{dir}/{dir}Actions.cs", ContextEmitter.EmitActions(model)));
        }

        return [.. files.OrderBy(f => f.RelativePath, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Writes the files under <paramref name="outputRoot"/>, deleting any other <c>.cs</c> file there first so
    /// that renamed types do not linger. Returns the number of files written.
    /// </summary>
    /// <param name="schemaRoot">The schema folder.</param>
    /// <param name="outputRoot">The output folder, e.g. <c>src/Ocpp.Rpc.Messages/Generated</c>.</param>
    public static int Run(string schemaRoot, string outputRoot)
    {
        var files = Generate(schemaRoot);
        if (Directory.Exists(outputRoot))
        {
            foreach (var stale in Directory.GetFiles(outputRoot, "*.cs", SearchOption.AllDirectories))
            {
                File.Delete(stale);
            }
        }

        var utf8 = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        foreach (var file in files)
        {
            var path = Path.Combine(outputRoot, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Content, utf8);
        }

        return files.Count;
    }
}

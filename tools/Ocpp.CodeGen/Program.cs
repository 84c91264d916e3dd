using Ocpp.CodeGen;

// Usage: dotnet run --project tools/Ocpp.CodeGen -- --schemas schemas --out src/Ocpp.Rpc.Messages/Generated
string? schemas = null;
string? output = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--schemas" when i + 1 < args.Length:
            schemas = args[++i];
            break;
        case "--out" when i + 1 < args.Length:
            output = args[++i];
            break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'.");
            return Usage();
    }
}

if (schemas is null || output is null)
{
    return Usage();
}

var count = CodeGenerator.Run(schemas, output);
Console.WriteLine($"Ocpp.CodeGen: wrote {count} files to {output}");
return 0;

static int Usage()
{
    Console.Error.WriteLine("Usage: Ocpp.CodeGen --schemas <schema folder> --out <output folder>");
    return 2;
}

using Ocpp.PackageCheck;

// Usage: dotnet run --project tools/Ocpp.PackageCheck -- <folder with the .nupkg and .snupkg files> <package id>...
if (args.Length < 2 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("usage: Ocpp.PackageCheck <packages folder> <package id> [<package id> ...]");
    return 2;
}

int failures = 0;
foreach (string id in args[1..])
{
    IReadOnlyList<string> problems = PackageChecks.Check(args[0], id);
    Console.WriteLine(problems.Count == 0 ? $"ok   {id}" : $"FAIL {id}");
    foreach (string problem in problems)
    {
        Console.WriteLine($"     - {problem}");
    }

    failures += problems.Count;
}

return failures == 0 ? 0 : 1;

using System.Diagnostics;
using BenchmarkDotNet.Running;
using Ocpp.Rpc.Benchmarks;

// BenchmarkDotNet: dotnet run -c Release --project benchmarks/Ocpp.Rpc.Benchmarks -- --filter '*Validation*' --job short
// Quick check on a busy machine (best of 15 rounds, robust to interference):
//   dotnet run -c Release --project benchmarks/Ocpp.Rpc.Benchmarks -- --best-of-rounds
// Managed memory per idle engine connection: dotnet run -c Release --project benchmarks/Ocpp.Rpc.Benchmarks -- --idle-memory 10000
if (args is ["--idle-memory", var n])
{
    IdleConnectionMemory.Run(int.Parse(n, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

if (args is ["--best-of-rounds"])
{
    BestOfRounds();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

static void BestOfRounds()
{
    const int Rounds = 15;
    const int Calls = 2000;
    var benchmarks = ValidationBenchmarks.Cases().Select(c => new ValidationBenchmarks { Case = c }).ToList();
    foreach (ValidationBenchmarks b in benchmarks)
    {
        // Setup compiles every schema; then a warm-up pass lets tiered JIT settle before anything is timed.
        b.Setup();
        for (int i = 0; i < Calls; i++)
        {
            _ = b.Read();
            _ = b.Validate();
            _ = b.ValidateFully();
        }
    }

    Thread.Sleep(500);
    Console.WriteLine("| Case               |     Read     |   Validate   | ValidateFully |");
    Console.WriteLine("| ------------------ | -----------: | -----------: | -----------: |");
    foreach (ValidationBenchmarks b in benchmarks)
    {
        PayloadCase c = b.Case;
        double read = double.MaxValue, validate = double.MaxValue, full = double.MaxValue;
        for (int round = 0; round < Rounds; round++)
        {
            read = Math.Min(read, Time(() => b.Read()));
            validate = Math.Min(validate, Time(() => b.Validate()));
            full = Math.Min(full, Time(() => b.ValidateFully()));
        }

        Console.WriteLine($"| {c.Name,-18} | {read,9:N0} ns | {validate,9:N0} ns | {full,10:N0} ns |");
    }

    static double Time(Func<object?> call)
    {
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < Calls; i++)
        {
            _ = call();
        }

        return watch.Elapsed.TotalNanoseconds / Calls;
    }
}

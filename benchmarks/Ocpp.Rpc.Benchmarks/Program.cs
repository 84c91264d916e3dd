using BenchmarkDotNet.Running;

// Run: dotnet run -c Release --project benchmarks/Ocpp.Rpc.Benchmarks -- --filter '*Validation*' --job short
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

using Ocpp.CodeGen;

// ocpp-codegen: typed records from OCPP JSON schemas. Also how the repository regenerates src/Ocpp.Rpc.Messages:
//   dotnet run --project tools/Ocpp.CodeGen -- --schemas schemas --out src/Ocpp.Rpc.Messages/Generated
return CommandLine.Run(args, Console.Out, Console.Error);

namespace Ocpp.Rpc.Samples.AspNetCsms;

internal static class Program
{
    // dotnet run --project samples/AspNetCsms   (stations connect to ws://host:9230/ocpp/{identity})
    public static void Main(string[] args) => AspNetCsmsApp.Build(args).Run();
}

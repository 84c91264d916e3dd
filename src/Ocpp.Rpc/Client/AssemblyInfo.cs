using System.Runtime.CompilerServices;

// The client tests check the back-off formula and URI building without a server.
[assembly: InternalsVisibleTo("Ocpp.Rpc.Client.Tests")]

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ocpp.Rpc.AspNetCore;
using Ocpp.Rpc.Samples.Csms.Handlers;
using Ocpp.Rpc.Validation;

namespace Ocpp.Rpc.Samples.Csms;

/// <summary>The running CSMS: an <see cref="OcppServer"/> with the handlers of every version, its state and its commands.</summary>
internal sealed class CsmsApp : IAsyncDisposable
{
    private CsmsApp(OcppServer server, CsmsState state)
    {
        Server = server;
        State = state;
        Commands = new StationCommands(server, state);
    }

    public OcppServer Server { get; }

    public CsmsState State { get; }

    public StationCommands Commands { get; }

    /// <summary>The port listened on (the actual one when started with port 0).</summary>
    public int Port => Server.Port ?? 0;

    /// <summary>Creates the server, registers the handlers of OCPP 1.6, 2.0.1 and 2.1, and starts listening.</summary>
    public static async Task<CsmsApp> StartAsync(CsmsOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        loggerFactory ??= NullLoggerFactory.Instance;
        ILogger logger = loggerFactory.CreateLogger("Csms");
        var server = new OcppServer(OcppServerOptions.Default with
        {
            Protocols = [OcppProtocols.Ocpp21, OcppProtocols.Ocpp201, OcppProtocols.Ocpp16],
            SecurityProfile = options.Profile,
            Tls = CsmsSecurity.LoadTls(options),
            Authenticate = CsmsSecurity.Authenticator(CsmsSecurity.LoadCredentials(options)),
            Connection = OcppConnectionOptions.Default with
            {
                LoggerFactory = loggerFactory,

                // Strict mode: every CALL and CALLRESULT, in and out, is checked against the official schemas;
                // an invalid inbound request is answered with the CALLERROR the violation maps to.
                Validator = options.Strict ? new OcppSchemaValidator() : null,
            },
        });

        var state = new CsmsState();
        V16Handlers.Register(server, state, options, logger);
        V201Handlers.Register(server, state, options, logger);
        V21Handlers.Register(server, state, options, logger);
        Observe(server, state, logger);
        try
        {
            await server.ListenAsync(options.Port, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        Log.Listening(logger, string.Join(", ", server.Addresses), (int)options.Profile, options.Strict);
        return new CsmsApp(server, state);
    }

    /// <summary>Closes every station (1001) and stops listening.</summary>
    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private static void Observe(OcppServer server, CsmsState state, ILogger logger)
    {
        server.HandshakeRejected += (_, e) => Log.HandshakeRejected(logger, e.Identity, e.StatusCode, e.Reason);
        server.StationDisconnected += (_, e) =>
        {
            state.Disconnected(e.Connection);
            Log.StationDisconnected(logger, e.Connection.Identity, e.Closed.Code);
        };

        // Raised before the connection reads its first message: per-connection subscriptions miss nothing.
        server.StationConnected += (_, e) =>
        {
            OcppConnection connection = e.Connection;
            string identity = connection.Identity;
            state.Connected(connection);
            Log.StationConnected(logger, identity, connection.Protocol);
            connection.ValidationFailed += (_, v) =>
                Log.ValidationFailed(logger, identity, v.Direction.ToString(), v.Action, v.Failure.Code.ToString(), v.Failure.Description);
            if (logger.IsEnabled(LogLevel.Debug))
            {
                connection.CallReceived += (_, m) => Log.Message(logger, identity, "<-", "CALL", m.Action, m.Payload);
                connection.ResultSent += (_, m) => Log.Message(logger, identity, "->", "RESULT", m.Action, m.Payload);
                connection.ErrorSent += (_, m) => Log.Message(logger, identity, "->", "ERROR " + m.WireCode, m.Action, m.Description);
                connection.CallSent += (_, m) => Log.Message(logger, identity, "->", "CALL", m.Action, m.Payload);
                connection.ResultReceived += (_, m) => Log.Message(logger, identity, "<-", "RESULT", m.Action, m.Payload);
                connection.ErrorReceived += (_, m) => Log.Message(logger, identity, "<-", "ERROR " + m.WireCode, m.Action, m.Description);
            }
        };
    }
}

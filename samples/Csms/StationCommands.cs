using System.Globalization;
using Ocpp.Rpc.AspNetCore;
using V16 = Ocpp.Rpc.Messages.V16;
using V201 = Ocpp.Rpc.Messages.V201;
using V21 = Ocpp.Rpc.Messages.V21;

namespace Ocpp.Rpc.Samples.Csms;

/// <summary>
/// What the CSMS can ask a station, in each station's own OCPP version: <c>server.GetStation(identity).CallAsync(request)</c>
/// with the typed record of that version. Results are the response status as text (<c>Accepted</c>, ...).
/// </summary>
internal sealed class StationCommands(OcppServer server, CsmsState state)
{
    /// <summary>2.x variable names this sample lets you give without their component.</summary>
    private static readonly Dictionary<string, string> KnownComponents = new(StringComparer.Ordinal)
    {
        ["HeartbeatInterval"] = "OCPPCommCtrlr",
        ["TxUpdatedInterval"] = "SampledDataCtrlr",
    };

    /// <summary>Asks the station to start charging for <paramref name="idTag"/> on connector/EVSE 1.</summary>
    public async Task<string> RemoteStartAsync(string identity, string idTag, CancellationToken cancellationToken = default) => ProtocolOf(identity) switch
    {
        OcppProtocols.Ocpp16 => (await server.GetStation(identity).CallAsync(new V16.RemoteStartTransactionRequest { ConnectorId = 1, IdTag = idTag }, cancellationToken: cancellationToken)).Status.ToString(),
        OcppProtocols.Ocpp201 => (await server.GetStation(identity).CallAsync(new V201.RequestStartTransactionRequest
        {
            EvseId = 1,
            RemoteStartId = state.NextRemoteStartId(),
            IdToken = new V201.IdTokenType { IdToken = idTag, Type = V201.IdTokenEnumType.Central },
        }, cancellationToken: cancellationToken)).Status.ToString(),
        _ => (await server.GetStation(identity).CallAsync(new V21.RequestStartTransactionRequest
        {
            EvseId = 1,
            RemoteStartId = state.NextRemoteStartId(),
            IdToken = new V21.IdTokenType { IdToken = idTag, Type = "Central" },
        }, cancellationToken: cancellationToken)).Status.ToString(),
    };

    /// <summary>Asks the station to stop its active transaction (as recorded in <see cref="CsmsState"/>).</summary>
    /// <exception cref="InvalidOperationException">The station has no active transaction.</exception>
    public async Task<string> RemoteStopAsync(string identity, CancellationToken cancellationToken = default)
    {
        string protocol = ProtocolOf(identity);
        TransactionInfo transaction = state.GetActiveTransaction(identity) ?? throw new InvalidOperationException($"{identity} has no active transaction.");
        return protocol switch
        {
            OcppProtocols.Ocpp16 => (await server.GetStation(identity).CallAsync(new V16.RemoteStopTransactionRequest
            {
                TransactionId = int.Parse(transaction.TransactionId, CultureInfo.InvariantCulture),
            }, cancellationToken: cancellationToken)).Status.ToString(),
            OcppProtocols.Ocpp201 => (await server.GetStation(identity).CallAsync(new V201.RequestStopTransactionRequest { TransactionId = transaction.TransactionId }, cancellationToken: cancellationToken)).Status.ToString(),
            _ => (await server.GetStation(identity).CallAsync(new V21.RequestStopTransactionRequest { TransactionId = transaction.TransactionId }, cancellationToken: cancellationToken)).Status.ToString(),
        };
    }

    /// <summary>Resets the station: 1.6 Soft/Hard, 2.x OnIdle/Immediate.</summary>
    public async Task<string> ResetAsync(string identity, bool hard = false, CancellationToken cancellationToken = default) => ProtocolOf(identity) switch
    {
        OcppProtocols.Ocpp16 => (await server.GetStation(identity).CallAsync(new V16.ResetRequest { Type = hard ? V16.ResetType.Hard : V16.ResetType.Soft }, cancellationToken: cancellationToken)).Status.ToString(),
        OcppProtocols.Ocpp201 => (await server.GetStation(identity).CallAsync(new V201.ResetRequest { Type = hard ? V201.ResetEnumType.Immediate : V201.ResetEnumType.OnIdle }, cancellationToken: cancellationToken)).Status.ToString(),
        _ => (await server.GetStation(identity).CallAsync(new V21.ResetRequest { Type = hard ? V21.ResetEnumType.Immediate : V21.ResetEnumType.OnIdle }, cancellationToken: cancellationToken)).Status.ToString(),
    };

    /// <summary>
    /// Reads configuration: 1.6 GetConfiguration keys, 2.x GetVariables of <c>Component.Variable</c> names (or a bare
    /// HeartbeatInterval / TxUpdatedInterval). Returns one <c>name = value</c> or <c>name: status</c> line per key.
    /// </summary>
    public async Task<IReadOnlyList<string>> GetConfigurationAsync(string identity, IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        switch (ProtocolOf(identity))
        {
            case OcppProtocols.Ocpp16:
                V16.GetConfigurationResponse config = await server.GetStation(identity).CallAsync(new V16.GetConfigurationRequest { Key = keys.Count > 0 ? keys : null }, cancellationToken: cancellationToken);
                return [.. (config.ConfigurationKey ?? []).Select(k => $"{k.Key} = {k.Value}{(k.Readonly ? " (read-only)" : string.Empty)}"), .. (config.UnknownKey ?? []).Select(k => $"{k}: unknown")];

            case OcppProtocols.Ocpp201:
                V201.GetVariablesResponse variables201 = await server.GetStation(identity).CallAsync(new V201.GetVariablesRequest
                {
                    GetVariableData = [.. DefaultKeys(keys).Select(Split).Select(k => new V201.GetVariableDataType { Component = new() { Name = k.Component }, Variable = new() { Name = k.Variable } })],
                }, cancellationToken: cancellationToken);
                return [.. variables201.GetVariableResult.Select(r => Line(r.Component.Name, r.Variable.Name, r.AttributeStatus.ToString(), r.AttributeValue))];

            default:
                V21.GetVariablesResponse variables21 = await server.GetStation(identity).CallAsync(new V21.GetVariablesRequest
                {
                    GetVariableData = [.. DefaultKeys(keys).Select(Split).Select(k => new V21.GetVariableDataType { Component = new() { Name = k.Component }, Variable = new() { Name = k.Variable } })],
                }, cancellationToken: cancellationToken);
                return [.. variables21.GetVariableResult.Select(r => Line(r.Component.Name, r.Variable.Name, r.AttributeStatus.ToString(), r.AttributeValue))];
        }
    }

    /// <summary>Changes one setting: 1.6 ChangeConfiguration, 2.x SetVariables.</summary>
    public async Task<string> SetConfigurationAsync(string identity, string key, string value, CancellationToken cancellationToken = default)
    {
        switch (ProtocolOf(identity))
        {
            case OcppProtocols.Ocpp16:
                return (await server.GetStation(identity).CallAsync(new V16.ChangeConfigurationRequest { Key = key, Value = value }, cancellationToken: cancellationToken)).Status.ToString();

            case OcppProtocols.Ocpp201:
            {
                (string component, string variable) = Split(key);
                V201.SetVariablesResponse response = await server.GetStation(identity).CallAsync(new V201.SetVariablesRequest
                {
                    SetVariableData = [new() { Component = new() { Name = component }, Variable = new() { Name = variable }, AttributeValue = value }],
                }, cancellationToken: cancellationToken);
                return response.SetVariableResult[0].AttributeStatus.ToString();
            }

            default:
            {
                (string component, string variable) = Split(key);
                V21.SetVariablesResponse response = await server.GetStation(identity).CallAsync(new V21.SetVariablesRequest
                {
                    SetVariableData = [new() { Component = new() { Name = component }, Variable = new() { Name = variable }, AttributeValue = value }],
                }, cancellationToken: cancellationToken);
                return response.SetVariableResult[0].AttributeStatus.ToString();
            }
        }
    }

    /// <summary>2.x: asks for the full device-model report, which arrives as NotifyReport messages.</summary>
    /// <exception cref="NotSupportedException">The station speaks OCPP 1.6 (no device model).</exception>
    public async Task<string> GetBaseReportAsync(string identity, CancellationToken cancellationToken = default) => ProtocolOf(identity) switch
    {
        OcppProtocols.Ocpp16 => throw new NotSupportedException("OCPP 1.6 has no device model report; use get."),
        OcppProtocols.Ocpp201 => (await server.GetStation(identity).CallAsync(new V201.GetBaseReportRequest { RequestId = state.NextRemoteStartId(), ReportBase = V201.ReportBaseEnumType.FullInventory }, cancellationToken: cancellationToken)).Status.ToString(),
        _ => (await server.GetStation(identity).CallAsync(new V21.GetBaseReportRequest { RequestId = state.NextRemoteStartId(), ReportBase = V21.ReportBaseEnumType.FullInventory }, cancellationToken: cancellationToken)).Status.ToString(),
    };

    private string ProtocolOf(string identity) =>
        server.TryGetConnection(identity, out OcppConnection? connection) && connection.Protocol is { } protocol
            ? protocol
            : throw new InvalidOperationException($"{identity} is not connected.");

    private static IReadOnlyList<string> DefaultKeys(IReadOnlyList<string> keys) => keys.Count > 0 ? keys : [.. KnownComponents.Keys];

    private static (string Component, string Variable) Split(string key)
    {
        int dot = key.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            return (key[..dot], key[(dot + 1)..]);
        }

        return KnownComponents.TryGetValue(key, out string? component)
            ? (component, key)
            : throw new ArgumentException($"Name 2.x variables as Component.Variable, e.g. OCPPCommCtrlr.{key}.", nameof(key));
    }

    private static string Line(string component, string variable, string status, string? value) =>
        status == "Accepted" ? $"{component}.{variable} = {value}" : $"{component}.{variable}: {status}";
}

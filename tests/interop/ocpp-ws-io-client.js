#!/usr/bin/env node
// A real OCPP-J station: ocpp-ws-io 2.3.2's OCPPClient in strict mode (its own schemas check what it sends and what
// it receives), driven by the .NET server interop tests.
// Usage: node ocpp-ws-io-client.js <url-without-identity> <identity> <protocol> [password|-] [compress]
// stdout (JSON lines): connected {protocol, extensions} | disconnected {code, reason} (will reconnect)
//   | closed {code, reason} | result {id, method, response}
//   | error {id, method, code, message, details} | handled {method, params} | badMessage {message}
// stdin (JSON lines): {"cmd":"call","id":..,"method":..,"params":{..}} | {"cmd":"raw","message":"[...]"}
//   | {"cmd":"close"}; closing stdin closes the client and exits.
// Handlers: Reset is Accepted; GetConfiguration (1.6) and GetVariables (2.x) answer HeartbeatInterval = 300;
// every other action gets ocpp-ws-io's own NotImplemented CALLERROR.
'use strict';
const { OCPPClient } = require('ocpp-ws-io');
const { emit, commands, limit, errorShape } = require('./lib/lines');

const [url, identity, protocol, password, compress] = process.argv.slice(2);
if (!url || !identity || !protocol) {
    console.error('usage: node ocpp-ws-io-client.js <url> <identity> <protocol> [password|-] [compress]');
    process.exit(2);
}

limit(60000);
const client = new OCPPClient({
    endpoint: url,
    identity,
    protocols: [protocol],
    password: password && password !== '-' ? password : undefined,
    securityProfile: password && password !== '-' ? 1 : 0,
    strictMode: true,
    logging: false,
    reconnect: true,
    backoffMin: 50,
    backoffMax: 200,
    callTimeoutMs: 10000,
    pingIntervalMs: 0,
    handlerGraceMs: 0,
    compression: compress === 'compress' ? { threshold: 0 } : false,
});

client.handle('Reset', ({ params }) => {
    emit('handled', { method: 'Reset', params });
    return { status: 'Accepted' };
});
client.handle('GetConfiguration', ({ params }) => {
    emit('handled', { method: 'GetConfiguration', params });
    return { configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }], unknownKey: [] };
});
client.handle('GetVariables', ({ params }) => {
    emit('handled', { method: 'GetVariables', params });
    return {
        getVariableResult: params.getVariableData.map((d) => ({
            attributeStatus: 'Accepted', attributeValue: '300', component: d.component, variable: d.variable,
        })),
    };
});

client.on('open', () => emit('connected', { protocol: client.protocol, extensions: client._ws ? client._ws.extensions : null }));
client.on('disconnect', ({ code, reason }) => emit('disconnected', { code, reason: String(reason || '') }));
client.on('close', ({ code, reason }) => emit('closed', { code, reason: String(reason || '') }));
client.on('badMessage', (e) => emit('badMessage', { message: String(e.message), error: String(e.error && e.error.message) }));

commands(async (command) => {
    if (command.cmd === 'call') {
        try {
            const response = await client.call(command.method, command.params || {});
            emit('result', { id: command.id, method: command.method, response });
        } catch (err) {
            emit('error', { id: command.id, method: command.method, ...errorShape(err) });
        }
    } else if (command.cmd === 'raw') {
        client.sendRaw(command.message);
        emit('sent', { id: command.id });
    } else if (command.cmd === 'close') {
        await client.close({ code: 1000, reason: 'done' });
        emit('closedByUs', {});
    }
}, async () => {
    await client.close({ code: 1000, force: true }).catch(() => {});
});

client.connect().catch((err) => {
    emit('connectFailed', errorShape(err));
    process.exit(1);
});

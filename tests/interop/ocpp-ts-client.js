#!/usr/bin/env node
// A real OCPP 1.6J station: ocpp-ts 0.3.0's OcppClient (it validates the CALLs it receives against its 1.6 schemas),
// driven by the .NET server interop tests. ocpp-ts has no password option: Basic auth goes in as a header, as its
// README shows. It does not reconnect by itself.
// Usage: node ocpp-ts-client.js <url-ending-in-slash> <identity> [password|-]
// stdout (JSON lines): connected | closed {code, reason} | clientError {message} | result {id, method, response}
//   | error {id, method, code, message, details} | handled {method, params}
// stdin (JSON lines): {"cmd":"call","id":..,"method":..,"params":{..}} | {"cmd":"raw","message":".."};
//   closing stdin exits.
// Handlers: Reset Accepted, GetConfiguration HeartbeatInterval = 300; other actions get ocpp-ts's NotImplemented.
'use strict';
const { OcppClient } = require('ocpp-ts');
const { emit, commands, limit, errorShape } = require('./lib/lines');

const [url, identity, password] = process.argv.slice(2);
if (!url || !identity) {
    console.error('usage: node ocpp-ts-client.js <url/> <identity> [password|-]');
    process.exit(2);
}

limit(60000);
const client = new OcppClient(identity);
client.on('Reset', (params, cb) => {
    emit('handled', { method: 'Reset', params });
    cb({ status: 'Accepted' });
});
client.on('GetConfiguration', (params, cb) => {
    emit('handled', { method: 'GetConfiguration', params });
    cb({ configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }], unknownKey: [] });
});
client.on('connect', () => emit('connected', {}));
client.on('close', (code, reason) => emit('closed', { code, reason: String(reason || '') }));
client.on('error', (err) => emit('clientError', { message: String(err && err.message || err) }));

commands(async (command) => {
    if (command.cmd === 'call') {
        try {
            const response = await client.callRequest(command.method, command.params || {});
            emit('result', { id: command.id, method: command.method, response });
        } catch (err) {
            emit('error', { id: command.id, method: command.method, ...errorShape(err) });
        }
    } else if (command.cmd === 'raw') {
        client.connection.socket.send(command.message);
        emit('sent', { id: command.id });
    }
}, async () => {});

const headers = password && password !== '-'
    ? { Authorization: 'Basic ' + Buffer.from(`${identity}:${password}`).toString('base64') }
    : undefined;
client.connect(url, headers);

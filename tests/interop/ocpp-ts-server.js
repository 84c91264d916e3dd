#!/usr/bin/env node
// A real OCPP 1.6J central system: ocpp-ts 0.3.0's OcppServer (it validates the CALLs it receives against its 1.6
// schemas), driven by the .NET client interop tests.
// Usage: node ocpp-ts-server.js [password]
// ocpp-ts's listen(port) binds every interface and keeps its http.Server to itself; the harness below wraps
// http.createServer only to bind 127.0.0.1 and learn the free port (listen(0)); the peer's own code is unchanged.
// stdout (JSON lines): listening {port} | authorization {identity, passwordOk} | connected {identity}
//   | call {identity, method, params} | result {id, identity, method, response} | error {id, identity, method, code,
//   message, details} | disconnected {identity, code, reason}
// stdin (JSON lines): {"cmd":"call","id":..,"identity":..,"method":..,"params":{..}} | {"cmd":"raw","identity":..,
//   "message":".."} | {"cmd":"close","identity":..}; closing stdin exits.
// Answers: BootNotification Accepted (interval 300), Heartbeat, StatusNotification, Authorize Accepted,
// Start/MeterValues/StopTransaction (transaction id 4242); DataTransfer has no listener, so ocpp-ts answers it with
// NotImplemented (ocpp-ts offers a handler no way to answer with a CALLERROR).
'use strict';
const http = require('http');
const { emit, commands, limit, errorShape } = require('./lib/lines');

let httpServer;
const createServer = http.createServer;
http.createServer = (...args) => {
    httpServer = createServer(...args);
    const listen = httpServer.listen;
    httpServer.listen = (port) => listen.call(httpServer, port, '127.0.0.1');
    return httpServer;
};
const { OcppServer } = require('ocpp-ts');

const password = process.argv[2];
const NOW = '2025-01-01T00:00:00.000Z';
limit(60000);
const clients = new Map();
const server = new OcppServer();

server.on('authorization', (identity, req, cb) => {
    const header = req.headers.authorization || '';
    const expected = 'Basic ' + Buffer.from(`${identity}:${password}`).toString('base64');
    const passwordOk = !password || header === expected;
    emit('authorization', { identity, passwordOk, hasHeader: header !== '' });
    cb(passwordOk ? undefined : new Error('Unauthorized'));
});

server.on('connection', (client) => {
    const identity = client.getCpId();
    clients.set(identity, client);
    emit('connected', { identity });
    const handle = (method, answer) => client.on(method, (params, cb) => {
        emit('call', { identity, method, params });
        cb(answer(params));
    });
    handle('BootNotification', () => ({ status: 'Accepted', currentTime: NOW, interval: 300 }));
    handle('Heartbeat', () => ({ currentTime: NOW }));
    handle('StatusNotification', () => ({}));
    handle('Authorize', () => ({ idTagInfo: { status: 'Accepted' } }));
    handle('StartTransaction', () => ({ transactionId: 4242, idTagInfo: { status: 'Accepted' } }));
    handle('MeterValues', () => ({}));
    handle('StopTransaction', () => ({ idTagInfo: { status: 'Accepted' } }));
    client.on('error', (err) => emit('clientError', { identity, message: String(err && err.message || err) }));
    client.on('close', (code, reason) => {
        if (clients.get(identity) === client) clients.delete(identity);
        emit('disconnected', { identity, code, reason: String(reason || '') });
    });
});

commands(async (command) => {
    const client = clients.get(command.identity);
    if (command.cmd === 'call') {
        try {
            const response = await client.callRequest(command.method, command.params || {});
            emit('result', { id: command.id, identity: command.identity, method: command.method, response });
        } catch (err) {
            emit('error', { id: command.id, identity: command.identity, method: command.method, ...errorShape(err) });
        }
    } else if (command.cmd === 'raw') {
        client.connection.socket.send(command.message);
        emit('sent', { id: command.id });
    } else if (command.cmd === 'close') {
        client.connection.socket.close(1000, 'done');
    }
}, async () => {});

server.listen(0);
httpServer.once('listening', () => emit('listening', { port: httpServer.address().port }));
httpServer.once('error', (err) => {
    emit('fatal', { message: String(err && err.stack || err) });
    process.exit(1);
});

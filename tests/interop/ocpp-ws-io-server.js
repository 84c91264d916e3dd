#!/usr/bin/env node
// A real OCPP-J CSMS: ocpp-ws-io 2.3.2's OCPPServer in strict mode (its own schemas check both directions) for
// ocpp2.1, ocpp2.0.1 and ocpp1.6, driven by the .NET client interop tests.
// Usage: node ocpp-ws-io-server.js [port] [options]   (port 0 or none: a free port on 127.0.0.1)
//   options (comma-separated): password=<text> (Basic auth required) | stopAfterStart (1.6: send RemoteStopTransaction
//   right after answering StartTransaction) | maxBadMessages=<n> | compress (permessage-deflate)
// stdout (JSON lines): listening {port} | handshake {identity, protocols, passwordOk} | connected {identity, protocol,
//   extensions} | call {identity, method, params} | result {id, identity, method, response} | error {id, identity,
//   method, code, message, details} | out {identity, type, method} (every frame it sends, in order)
//   | disconnected {identity, code, reason} | badMessage {identity, message}
// stdin (JSON lines): {"cmd":"call","id":..,"identity":..,"method":..,"params":{..}} | {"cmd":"restart"}
//   (close every connection and the listener, then listen again on the same port) | {"cmd":"raw","identity":..,
//   "message":".."}; closing stdin stops the server and exits.
// Answers: BootNotification Accepted (interval 300), Heartbeat, StatusNotification, Authorize Accepted, 1.6
// Start/MeterValues/StopTransaction (transaction ids from 4242 up), 2.x TransactionEvent; DataTransfer gets a
// NotSupported CALLERROR with details; anything else ocpp-ws-io's own NotImplemented.
'use strict';
const { OCPPServer, createRPCError } = require('ocpp-ws-io');
const { emit, commands, limit, errorShape } = require('./lib/lines');

const port = Number(process.argv[2] || 0);
const options = Object.fromEntries((process.argv[3] || '').split(',').filter(Boolean).map((o) => {
    const [k, ...v] = o.split('=');
    return [k, v.length ? v.join('=') : true];
}));
const NOW = '2025-01-01T00:00:00.000Z';
limit(90000);

const clients = new Map();
let nextTransactionId = 4242;
let server;
let httpServer;

function create() {
    const s = new OCPPServer({
        protocols: ['ocpp2.1', 'ocpp2.0.1', 'ocpp1.6'],
        strictMode: true,
        logging: false,
        callTimeoutMs: 10000,
        pingIntervalMs: 0,
        maxBadMessages: options.maxBadMessages ? Number(options.maxBadMessages) : undefined,
        compression: options.compress ? { threshold: 0 } : false,
    });

    s.auth((ctx) => {
        const { identity, protocols, password } = ctx.handshake;
        const passwordOk = options.password ? password !== undefined && password.toString('utf8') === options.password : true;
        emit('handshake', { identity, protocols: [...protocols], passwordOk, hasPassword: password !== undefined });
        if (!passwordOk) {
            ctx.reject(401, 'Unauthorized');
            return;
        }
        ctx.accept({ session: {} });
    });

    s.on('client', (client) => {
        const identity = client.identity;
        clients.set(identity, client);
        emit('connected', { identity, protocol: client.protocol, extensions: client._ws ? client._ws.extensions : null });
        const seen = (method, params) => emit('call', { identity, method, params });

        client.on('message', ({ direction, message }) => {
            if (direction === 'OUT') {
                emit('out', { identity, type: message[0], messageId: message[1], method: message[0] === 2 ? message[2] : undefined });
            }
        });
        client.on('badMessage', (e) => emit('badMessage', { identity, message: String(e && e.message), error: String(e && e.error && e.error.message) }));
        client.on('close', ({ code, reason }) => {
            if (clients.get(identity) === client) clients.delete(identity);
            emit('disconnected', { identity, code, reason: String(reason || '') });
        });

        client.handle('BootNotification', ({ params }) => {
            seen('BootNotification', params);
            return { status: 'Accepted', currentTime: NOW, interval: 300 };
        });
        client.handle('Heartbeat', ({ params }) => {
            seen('Heartbeat', params);
            return { currentTime: NOW };
        });
        client.handle('StatusNotification', ({ params }) => {
            seen('StatusNotification', params);
            return {};
        });
        client.handle('Authorize', ({ params }) => {
            seen('Authorize', params);
            return client.protocol === 'ocpp1.6' ? { idTagInfo: { status: 'Accepted' } } : { idTokenInfo: { status: 'Accepted' } };
        });
        client.handle('StartTransaction', ({ params }) => {
            seen('StartTransaction', params);
            const transactionId = nextTransactionId++;
            if (options.stopAfterStart) {
                // After this handler's CALLRESULT is written (setImmediate runs after the reply's promise settles).
                setImmediate(() => callStation(client, { id: `stop-${transactionId}`, method: 'RemoteStopTransaction', params: { transactionId } }));
            }
            return { transactionId, idTagInfo: { status: 'Accepted' } };
        });
        client.handle('MeterValues', ({ params }) => {
            seen('MeterValues', params);
            return {};
        });
        client.handle('StopTransaction', ({ params }) => {
            seen('StopTransaction', params);
            return { idTagInfo: { status: 'Accepted' } };
        });
        client.handle('TransactionEvent', ({ params }) => {
            seen('TransactionEvent', params);
            return params.eventType === 'Started' ? { idTokenInfo: { status: 'Accepted' } } : {};
        });
        client.handle('DataTransfer', ({ params }) => {
            seen('DataTransfer', params);
            throw createRPCError('NotSupported', 'DataTransfer is not supported here', { vendorId: params.vendorId });
        });
        client.handle('NotifyPeriodicEventStream', ({ params }) => {
            seen('NotifyPeriodicEventStream', params);
        });
    });
    return s;
}

async function callStation(client, command) {
    try {
        const response = await client.call(command.method, command.params || {});
        emit('result', { id: command.id, identity: client.identity, method: command.method, response });
    } catch (err) {
        emit('error', { id: command.id, identity: client.identity, method: command.method, ...errorShape(err) });
    }
}

async function start(listenPort) {
    server = create();
    httpServer = await server.listen(listenPort, '127.0.0.1');
    emit('listening', { port: httpServer.address().port });
}

commands(async (command) => {
    if (command.cmd === 'call') {
        const client = clients.get(command.identity);
        if (!client) {
            emit('error', { id: command.id, identity: command.identity, method: command.method, code: 'NoSuchStation', message: 'not connected', details: {} });
            return;
        }
        await callStation(client, command);
    } else if (command.cmd === 'raw') {
        clients.get(command.identity).sendRaw(command.message);
        emit('sent', { id: command.id });
    } else if (command.cmd === 'restart') {
        const usedPort = httpServer.address().port;
        await server.close({ code: 1012, reason: 'restart', force: true });
        emit('stopped', {});
        await start(usedPort);
    }
}, async () => {
    await server.close({ force: true }).catch(() => {});
});

start(port).catch((err) => {
    emit('fatal', { message: String(err && err.stack || err) });
    process.exit(1);
});

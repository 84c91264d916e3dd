#!/usr/bin/env node
// A real OCPP-J CSMS for the .NET client interop tests: an ocpp-rpc RPCServer in strict mode (schema-validated
// both ways) for ocpp1.6 and ocpp2.0.1.
//
// Usage: node ocpp-rpc-server.js [port]   (port 0 or none: a free port)
// stdout: one JSON object per line, {"event": ..., ...}:
//   listening {port} | handshake {identity, protocols, password (hex or null), query} | connected {identity, protocol}
//   call {identity, action, params} | callResult {identity, action, result} | callError {identity, action, code, message}
//   disconnected {identity, code, reason}
// stdin: one JSON command per line: {"cmd":"close","identity":"CP-1","code":1000,"reason":"..."}
// Behaviour: identities starting with "reject" get HTTP 401; a handshake whose query has expectPassword=<hex> must
// carry exactly that Basic-auth password (else 401). After BootNotification the server calls the station back
// (1.6 GetConfiguration, 2.0.1 GetVariables) and then calls ClearCache, which a station without a handler answers
// with a CALLERROR. DataTransfer is always answered with a NotSupported CALLERROR.
'use strict';

const readline = require('readline');
const { RPCServer, createRPCError } = require('ocpp-rpc');

const emit = (event, data = {}) => process.stdout.write(JSON.stringify({ event, ...data }) + '\n');
const clients = new Map();

const server = new RPCServer({
    protocols: ['ocpp2.0.1', 'ocpp1.6'],
    strictMode: true,
    callTimeoutMs: 10000,
});

server.auth((accept, reject, handshake) => {
    const password = handshake.password ? handshake.password.toString('hex') : null;
    const query = Object.fromEntries(handshake.query);
    emit('handshake', { identity: handshake.identity, protocols: [...handshake.protocols], password, query });
    if (handshake.identity.startsWith('reject')) {
        return reject(401, 'Unauthorized');
    }
    if (query.expectPassword !== undefined && query.expectPassword !== password) {
        return reject(401, 'Bad password');
    }
    accept({});
});

async function callBack(client, action, params) {
    try {
        const result = await client.call(action, params);
        emit('callResult', { identity: client.identity, action, result });
    } catch (err) {
        emit('callError', { identity: client.identity, action, code: err.rpcErrorCode ?? null, message: err.message });
    }
}

function afterBoot(client) {
    if (client.protocol === 'ocpp1.6') {
        return callBack(client, 'GetConfiguration', { key: ['HeartbeatInterval'] })
            .then(() => callBack(client, 'ClearCache', {}));
    }
    return callBack(client, 'GetVariables', {
        getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }],
    }).then(() => callBack(client, 'ClearCache', {}));
}

server.on('client', (client) => {
    clients.set(client.identity, client);
    emit('connected', { identity: client.identity, protocol: client.protocol });
    const now = () => new Date().toISOString();

    client.handle(({ method, params }) => {
        throw createRPCError('NotImplemented', `${method} is not handled by this test CSMS`);
    });

    client.handle('BootNotification', ({ params, reply }) => {
        emit('call', { identity: client.identity, action: 'BootNotification', params });
        reply({ status: 'Accepted', currentTime: now(), interval: 300 });
        setImmediate(() => afterBoot(client));
    });

    client.handle('Heartbeat', ({ params }) => {
        emit('call', { identity: client.identity, action: 'Heartbeat', params });
        return { currentTime: now() };
    });

    client.handle('StatusNotification', ({ params }) => {
        emit('call', { identity: client.identity, action: 'StatusNotification', params });
        return {};
    });

    client.handle('DataTransfer', ({ params }) => {
        emit('call', { identity: client.identity, action: 'DataTransfer', params });
        throw createRPCError('NotSupported', 'DataTransfer is not supported here', { vendorId: params.vendorId });
    });

    client.once('close', ({ code, reason }) => {
        if (clients.get(client.identity) === client) {
            clients.delete(client.identity);
        }
        emit('disconnected', { identity: client.identity, code, reason: String(reason ?? '') });
    });
});

readline.createInterface({ input: process.stdin }).on('line', async (line) => {
    if (!line.trim()) return;
    const command = JSON.parse(line);
    if (command.cmd === 'close') {
        const client = clients.get(command.identity);
        if (client) {
            await client.close({ code: command.code ?? 1000, reason: command.reason ?? '' });
        }
    }
}).on('close', async () => {
    await server.close({ force: true });
    process.exit(0);
});

(async () => {
    const port = Number(process.argv[2] ?? 0);
    const httpServer = await server.listen(port, '127.0.0.1');
    emit('listening', { port: httpServer.address().port });
})().catch((err) => {
    emit('fatal', { message: String(err && err.stack || err) });
    process.exit(1);
});

#!/usr/bin/env node
// A real OCPP-J station (the ocpp-rpc npm package's RPCClient) for the .NET server interop tests.
// Usage: node ocpp-rpc-client.js <url-without-identity> <identity> <protocol> [password]
// Connects, calls BootNotification, Heartbeat and DataTransfer (the test server answers DataTransfer with a
// CALLERROR), prints "ready", then answers the server's calls (Reset; anything else gets NotImplemented) until
// the server closes the connection. Every step is printed to stdout as one JSON line.
'use strict';
const { RPCClient, createRPCError } = require('ocpp-rpc');

const [url, identity, protocol, password] = process.argv.slice(2);
if (!url || !identity || !protocol) {
    console.error('usage: node ocpp-rpc-client.js <url> <identity> <protocol> [password]');
    process.exit(2);
}

const print = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
const is16 = protocol === 'ocpp1.6';

const cli = new RPCClient({
    endpoint: url,
    identity,
    protocols: [protocol],
    password: password || undefined,
    strictMode: true,
    reconnect: false,
    callTimeoutMs: 10000,
});

cli.handle('Reset', ({ params }) => {
    print({ event: 'handled', method: 'Reset', params });
    return { status: 'Accepted' };
});
cli.handle(({ method, params }) => {
    print({ event: 'unhandled', method, params });
    throw createRPCError('NotImplemented', `${method} is not implemented here`);
});
let connected = false;
cli.on('close', ({ code, reason }) => {
    print({ event: 'closed', code, reason: String(reason || '') });
    if (connected) {
        process.exit(0); // otherwise connect() rejects and reports why
    }
});

async function call(method, params) {
    try {
        const response = await cli.call(method, params);
        print({ event: 'result', method, response });
    } catch (err) {
        print({ event: 'error', method, code: err.rpcErrorCode || err.name, message: err.message, details: err.details || {} });
    }
}

(async () => {
    try {
        await cli.connect();
    } catch (err) {
        print({ event: 'connectFailed', message: err.message });
        process.exit(1);
    }
    connected = true;
    print({ event: 'connected', protocol: cli.protocol, identity: cli.identity });
    await call('BootNotification', is16
        ? { chargePointVendor: 'InteropVendor', chargePointModel: 'NodeStation' }
        : { reason: 'PowerUp', chargingStation: { vendorName: 'InteropVendor', model: 'NodeStation' } });
    await call('Heartbeat', {});
    await call('DataTransfer', { vendorId: 'org.interop', messageId: 'refuse-me' });
    print({ event: 'ready' });
})();

// Never hang a test run.
setTimeout(() => { print({ event: 'timeout' }); process.exit(3); }, 30000).unref();

#!/usr/bin/env node
// ocpp-rpc's RPCServer with a Heartbeat handler only, for the side-by-side comparison (benchmarks/run-comparison.sh).
// Usage: node [--expose-gc] ocpp-rpc-server.js --port P [--protocol ocpp1.6] [--strict] [--report-memory SECONDS]
//        [--tls-cert PEM --tls-key PEM --password PW]   (security profile 2: Node's https server, Basic auth checked)
// Uses the ocpp-rpc@2.2.1 installed by `npm ci` in tests/interop.
'use strict';

const path = require('path');
const { RPCServer } = require(require.resolve('ocpp-rpc', { paths: [path.join(__dirname, '../../tests/interop')] }));

const args = parseArgs(process.argv.slice(2));
const port = Number(args.port ?? 9240);
const protocol = args.protocol ?? 'ocpp1.6';
let connections = 0;

const server = new RPCServer({ protocols: [protocol], strictMode: args.strict !== undefined });
server.on('client', (client) => {
    connections++;
    client.once('close', () => connections--);
    client.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
});

if (args.password !== undefined) {
    const expected = Buffer.from(String(args.password), 'utf8');
    server.auth((accept, reject, handshake) => (handshake.password && expected.equals(handshake.password) ? accept() : reject(401)));
}

// Profile 2: the same RPCServer behind Node's https server (full TLS in Node's OpenSSL), as its README shows.
const listening = args['tls-cert'] !== undefined
    ? new Promise((resolve) => {
        const fs = require('fs');
        const https = require('https');
        const tls = https.createServer({ cert: fs.readFileSync(args['tls-cert']), key: fs.readFileSync(args['tls-key']) });
        tls.on('upgrade', server.handleUpgrade);
        tls.listen(port, '127.0.0.1', resolve);
    })
    : server.listen(port, '127.0.0.1');
listening.then(() => {
    console.log(JSON.stringify({ listening: port, protocol, strict: args.strict !== undefined, tls: args['tls-cert'] !== undefined, server: 'ocpp-rpc' }));
    const every = Number(args['report-memory'] ?? 0);
    if (every > 0) {
        const report = () => {
            if (global.gc) { global.gc(); }
            const m = process.memoryUsage();
            console.log(JSON.stringify({ memory: true, connections, gcHeapBytes: m.heapUsed, workingSetBytes: m.rss, externalBytes: m.external }));
        };
        report();
        setInterval(report, every * 1000);
    }
});

process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));

function parseArgs(argv) {
    const out = {};
    for (let i = 0; i < argv.length; i++) {
        const name = argv[i].replace(/^--/, '');
        if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) { out[name] = argv[++i]; } else { out[name] = true; }
    }
    return out;
}

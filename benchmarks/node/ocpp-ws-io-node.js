#!/usr/bin/env node
// One node of an ocpp-ws-io 2.3.2 cluster: its OCPPServer with the RedisAdapter (ioredis, the client its README
// names; pub, sub and blocking connections) on --redis, for benchmarks/routed-call.sh. The peer of the load tool's
// `cluster-node`, with the same stdin commands and JSON answers:
//   wait IDENTITY [SECONDS]              until a call to the station succeeds from this node  -> {"waited",...}
//   call IDENTITY WINDOW DURATION WARMUP server.sendToClient(DataTransfer) with W in flight    -> {"callsPerSec","p50Ms","p99Ms",...}
// Usage: node ocpp-ws-io-node.js --port P --redis redis://127.0.0.1:6379 [--node-id A] [--call-concurrency N]
// (--call-concurrency: the callConcurrency of the station connections, default 1 like the library's)
// Uses ocpp-ws-io and ioredis as installed by `npm ci` in tests/interop.
'use strict';

const path = require('path');
const readline = require('readline');
const interop = path.join(__dirname, '../../tests/interop');
const need = (name) => require(require.resolve(name, { paths: [interop] }));
const { OCPPServer } = need('ocpp-ws-io');
const { RedisAdapter } = need('ocpp-ws-io/adapters/redis');
const Redis = need('ioredis');

const args = parseArgs(process.argv.slice(2));
const port = Number(args.port ?? 9600);
const nodeId = args['node-id'] ?? `node-${process.pid}`;
const params = { vendorId: 'bench' };
let local = new Set();

async function main() {
    const pubClient = new Redis(args.redis ?? 'redis://127.0.0.1:6379');
    const subClient = pubClient.duplicate();
    const blockingClient = pubClient.duplicate();
    const server = new OCPPServer({ protocols: ['ocpp1.6'], logging: false, pingIntervalMs: 0, callTimeoutMs: 30000, callConcurrency: Number(args['call-concurrency'] ?? 1) });
    await server.setAdapter(new RedisAdapter({ pubClient, subClient, blockingClient }));
    server.auth((ctx) => ctx.accept({ session: {} }));
    server.on('client', (client) => {
        local.add(client.identity);
        client.on('close', () => local.delete(client.identity));
    });
    await server.listen(port, '127.0.0.1');
    emit({ listening: port, nodeId, peer: 'ocpp-ws-io' });

    const rl = readline.createInterface({ input: process.stdin });
    // One command at a time, in order, like the load tool's node.
    let chain = Promise.resolve();
    rl.on('line', (line) => {
        chain = chain.then(() => run(server, line.trim().split(/\s+/))).catch((err) => emit({ error: String(err && err.message || err) }));
    });
    const stop = async () => {
        await server.close({ force: true }).catch(() => {});
        await Promise.all([pubClient, subClient, blockingClient].map((c) => c.quit().catch(() => {})));
        process.exit(0);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
}

async function run(server, words) {
    if (words[0] === 'wait') {
        const started = Date.now();
        const limit = started + Number(words[2] ?? 30) * 1000;
        let found = false;
        while (!found && Date.now() < limit) {
            try {
                found = (await server.sendToClient(words[1], 'ocpp1.6', 'DataTransfer', params, { timeoutMs: 2000 })) !== undefined;
            } catch {
                await new Promise((r) => setTimeout(r, 50));
            }
        }
        emit({ waited: words[1], found, local: local.has(words[1]), ms: Date.now() - started });
    } else if (words[0] === 'call') {
        emit(await calls(server, words[1], Number(words[2]), Number(words[3]), Number(words[4])));
    } else if (words[0] === 'stats') {
        emit({ stats: true, connections: local.size, rssBytes: process.memoryUsage().rss });
    } else if (words[0]) {
        emit({ error: `unknown command ${words[0]}` });
    }
}

async function calls(server, identity, window, duration, warmup) {
    const isLocal = local.has(identity);
    let completed = 0;
    let errors = 0;
    let measuring = false;
    let stopping = false;
    let firstError = null;
    const latencies = [];
    const worker = async () => {
        while (!stopping) {
            const started = process.hrtime.bigint();
            try {
                const result = await server.sendToClient(identity, 'ocpp1.6', 'DataTransfer', params, { timeoutMs: 30000 });
                if (result === undefined) throw new Error('no result (station not found)');
                completed++;
                if (measuring) latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
            } catch (err) {
                errors++;
                firstError ??= String(err && err.message || err);
                await new Promise((r) => setTimeout(r, 10));
            }
        }
    };
    const workers = Array.from({ length: window }, worker);
    await sleep(warmup * 1000);
    const c0 = completed;
    const e0 = errors;
    const t0 = process.hrtime.bigint();
    measuring = true;
    await sleep(duration * 1000);
    measuring = false;
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
    const n = completed - c0;
    const e = errors - e0;
    stopping = true;
    await Promise.race([Promise.all(workers), sleep(10000)]);
    latencies.sort((a, b) => a - b);
    const pct = (p) => (latencies.length ? Number(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(4)) : null);
    return { client: 'ocpp-ws-io', node: nodeId, local: isLocal, callsPerSec: Math.round(n / elapsed), p50Ms: pct(0.5), p99Ms: pct(0.99), errors: e, window, duration, calls: n, allCalls: completed, firstError };
}

function sleep(ms) {
    return new Promise((r) => setTimeout(r, ms));
}

function emit(object) {
    process.stdout.write(JSON.stringify(object) + '\n');
}

function parseArgs(argv) {
    const out = {};
    for (let i = 0; i < argv.length; i++) {
        if (!argv[i].startsWith('--')) continue;
        const name = argv[i].slice(2);
        out[name] = i + 1 < argv.length && !argv[i + 1].startsWith('--') ? argv[++i] : true;
    }
    return out;
}

main().catch((err) => {
    emit({ fatal: String(err && err.stack || err) });
    process.exit(1);
});

#!/usr/bin/env node
// N ocpp-rpc RPCClients, each keeping W Heartbeat calls in flight (callConcurrency W), for the side-by-side
// comparison; prints the same JSON line as `Ocpp.Rpc.LoadTool client`.
// Usage: node ocpp-rpc-client.js --url ws://127.0.0.1:P [--clients N] [--window W] [--duration S] [--warmup S] [--protocol ocpp1.6]
'use strict';

const path = require('path');
const { RPCClient } = require(require.resolve('ocpp-rpc', { paths: [path.join(__dirname, '../../tests/interop')] }));

const args = parseArgs(process.argv.slice(2));
const url = String(args.url).replace(/\/$/, '');
const clients = Number(args.clients ?? 1);
const window = Number(args.window ?? 1);
const duration = Number(args.duration ?? 10);
const warmup = Number(args.warmup ?? 2);
const protocol = args.protocol ?? 'ocpp1.6';

let completed = 0, errors = 0, measuring = false, stopping = false;
const latencies = [];

async function worker(client) {
    while (!stopping) {
        const started = process.hrtime.bigint();
        try {
            await client.call('Heartbeat', {});
            completed++;
            if (measuring) { latencies.push(Number(process.hrtime.bigint() - started) / 1e6); }
        } catch (err) {
            if (stopping) { return; }
            errors++;
            await new Promise((r) => setTimeout(r, 10));
        }
    }
}

(async () => {
    const list = [];
    for (let i = 0; i < clients; i += 64) {
        const batch = [];
        for (let j = i; j < Math.min(clients, i + 64); j++) {
            const client = new RPCClient({
                endpoint: url,
                identity: `NODE${process.pid}-${j}`,
                protocols: [protocol],
                callConcurrency: window,
                strictMode: false,
                reconnect: false,
            });
            list.push(client);
            batch.push(client.connect());
        }
        await Promise.all(batch);
    }

    const workers = [];
    for (const client of list) { for (let w = 0; w < window; w++) { workers.push(worker(client)); } }
    await sleep(warmup * 1000);
    const c0 = completed, e0 = errors;
    const t0 = process.hrtime.bigint();
    measuring = true;
    await sleep(duration * 1000);
    measuring = false;
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
    const calls = completed - c0, errs = errors - e0;
    stopping = true;
    await Promise.race([Promise.all(workers), sleep(5000)]);
    await Promise.race([Promise.all(list.map((c) => c.close({ code: 1000 }).catch(() => {}))), sleep(5000)]);
    latencies.sort((a, b) => a - b);
    const pct = (p) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : null;
    console.log(JSON.stringify({
        client: 'ocpp-rpc', callsPerSec: Math.round(calls / elapsed), p50Ms: round(pct(0.5)), p99Ms: round(pct(0.99)),
        errors: errs, clients, window, duration, calls,
    }));
    process.exit(0);
})().catch((err) => { console.error(err); process.exit(1); });

function round(x) { return x === null ? null : Math.round(x * 1000) / 1000; }
function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }
function parseArgs(argv) {
    const out = {};
    for (let i = 0; i < argv.length; i++) {
        const name = argv[i].replace(/^--/, '');
        if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) { out[name] = argv[++i]; } else { out[name] = true; }
    }
    return out;
}
